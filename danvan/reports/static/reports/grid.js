// The data entry grid: keyboard moves between rows, every change is saved at once (fetch, JSON).
// Progressive enhancement only: without it the grid is a plain form with a "Lưu" button.
(function () {
  "use strict";
  const form = document.getElementById("grid-form");
  if (!form || !form.dataset.saveUrl) return;
  const cells = Array.from(form.querySelectorAll("input.cell-value"));
  const status = document.getElementById("grid-status");
  const problemsBox = document.getElementById("grid-problems");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value; // the cookie is HttpOnly
  const lastSent = new Map(); // "v:CODE" / "c:CODE" -> text last sent successfully

  function say(text) { if (status) status.textContent = text; }
  function rowOf(code) { return form.querySelector('tr[data-code="' + CSS.escape(code) + '"]'); }

  function setError(code, message) {
    const row = rowOf(code);
    if (!row) return;
    const box = row.querySelector(".cell-error");
    const input = row.querySelector("input.cell-value");
    if (box) box.textContent = message || "";
    row.classList.toggle("has-error", !!message);
    if (input) { if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid"); }
    refreshFlag(row);
  }

  function refreshFlag(row) {
    const flag = row.querySelector(".flag");
    if (!flag) return;
    if (row.classList.contains("has-error") || row.classList.contains("has-problem")) flag.textContent = "⚠";
    else if (row.classList.contains("saved")) flag.textContent = "✓";
    else flag.textContent = "";
  }

  function showProblems(problems) {
    form.querySelectorAll("tr.has-problem").forEach(function (row) { row.classList.remove("has-problem"); refreshFlag(row); });
    const list = problemsBox ? problemsBox.querySelector("ul") : null;
    if (list) list.innerHTML = "";
    problems.forEach(function (problem) {
      (problem.elements || []).forEach(function (code) {
        const row = rowOf(code);
        if (row) { row.classList.add("has-problem"); refreshFlag(row); }
      });
      if (list) { const item = document.createElement("li"); item.textContent = problem.message; list.appendChild(item); }
    });
    if (problemsBox) problemsBox.hidden = problems.length === 0;
  }

  function save(kind, input) {
    const code = input.dataset.code;
    const key = kind + ":" + code;
    const text = input.value;
    if (lastSent.get(key) === text) return;
    const body = { revision: parseInt(form.dataset.revision || "0", 10), values: {}, comments: {} };
    if (kind === "v") body.values[code] = text; else body.comments[code] = text;
    lastSent.set(key, text); // a second change event for the same text sends nothing
    say(form.dataset.msgSaving);
    fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (result) {
      const data = result.data || {};
      const errors = data.errors || {};
      if (result.ok) {
        lastSent.set(key, text);
        setError(code, "");
        const row = rowOf(code);
        if (kind === "v" && data.display && code in data.display && document.activeElement !== input) input.value = data.display[code];
        if (kind === "v" && data.display && code in data.display) lastSent.set(key, input.value);
        if (row) { row.classList.add("saved"); refreshFlag(row); }
        showProblems(data.problems || []);
        const badge = document.getElementById("report-status");
        if (badge && data.status) badge.textContent = data.status;
        const opened = document.getElementById("grid-opened");
        if (opened && data.opened) opened.hidden = false;
        say(form.dataset.msgSaved);
        return;
      }
      lastSent.delete(key);
      const general = errors.__all__;
      Object.keys(errors).forEach(function (name) { if (name !== "__all__") setError(name, errors[name]); });
      if (!Object.keys(errors).some(function (name) { return name !== "__all__"; })) setError(code, general || form.dataset.msgFailed);
      say(general ? general : form.dataset.msgFailed);
    }).catch(function () {
      lastSent.delete(key);
      setError(code, form.dataset.msgOffline);
      say(form.dataset.msgOffline);
    });
  }

  cells.forEach(function (input) { lastSent.set("v:" + input.dataset.code, input.value); });
  form.querySelectorAll("input.cell-comment").forEach(function (input) { lastSent.set("c:" + input.dataset.code, input.value); });

  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.classList.contains("cell-value")) save("v", input);
    else if (input.classList.contains("cell-comment")) save("c", input);
  });

  form.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("cell-value")) return;
    const index = cells.indexOf(input);
    let next = null;
    if (event.key === "Enter" || event.key === "ArrowDown") next = cells[index + 1] || null;
    else if (event.key === "ArrowUp") next = cells[index - 1] || null;
    else return;
    event.preventDefault(); // Enter must not submit the whole form
    if (event.key === "Enter") save("v", input);
    if (next) { next.focus(); next.select(); }
  });
})();
