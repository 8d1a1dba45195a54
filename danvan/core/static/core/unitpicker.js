// The unit picker (core.widgets.UnitPicker): a text box that suggests units as the user types,
// following the ARIA combobox pattern (list popup, aria-activedescendant, arrows, Enter, Escape).
// Without this script the box is plain text that the server resolves on submit.
// The several-units variant (core.widgets.UnitsPicker, [data-multiple]) uses the same combobox to add
// chips, each posting its unit's code and removed by its button.
(function () {
  "use strict";
  let serial = 0;

  function setUp(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    if (root.dataset.multiple) { setUpMany(root); return; }
    const input = root.querySelector("input[type=text]");
    const pick = root.querySelector("input[name$='__pick'][type=hidden]");
    const label = root.querySelector("input[name$='__label']");
    const pathNote = root.querySelector(".unit-picker-path");
    combobox(root, input, function (unit) {
      input.value = unit.name;
      pick.value = unit.code;
      label.value = unit.name;
      if (pathNote) { pathNote.textContent = unit.path_label; pathNote.hidden = false; }
      const matches = root.querySelector(".unit-picker-matches");
      if (matches) matches.remove();
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return unit.path_label;
    });
    input.addEventListener("input", function () {
      if (pathNote && input.value !== label.value) pathNote.hidden = true;
    });
  }

  function setUpMany(root) {
    const chips = root.querySelector(".unit-chips");
    const empty = root.querySelector(".unit-chips-empty");
    const lines = root.querySelector(".unit-picker-lines");
    const textarea = lines.querySelector("textarea");
    const input = document.createElement("input");
    input.type = "text";
    input.id = textarea.id;
    textarea.id = textarea.id + "__text";
    input.className = "unit-picker-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = root.dataset.add;
    root.insertBefore(input, lines);
    lines.hidden = !textarea.value.trim();  // lines left from a form sent without this script stay
    function refresh() { if (empty) empty.hidden = chips.children.length > 0; }
    function removable(item) {
      const box = item.querySelector("input[type=checkbox]");
      if (box) {
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = box.name;
        hidden.value = box.value;
        box.replaceWith(hidden);
      }
      const name = item.querySelector(".unit-chip-name").textContent;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "unit-chip-remove";
      button.textContent = "×";
      button.setAttribute("aria-label", root.dataset.remove + " " + name);
      button.addEventListener("click", function () {
        item.remove();
        refresh();
        status.textContent = root.dataset.removed + " " + name;
        input.focus();
      });
      item.appendChild(button);
    }
    Array.prototype.forEach.call(chips.children, removable);
    const status = combobox(root, input, function (unit) {
      input.value = "";
      const known = Array.prototype.some.call(chips.querySelectorAll("input[type=hidden]"), function (hidden) {
        return hidden.value === unit.code;
      });
      if (known) return unit.path_label;
      const item = document.createElement("li");
      const holder = document.createElement("label");
      const box = document.createElement("input");
      const name = document.createElement("span");
      const path = document.createElement("small");
      item.className = "unit-chip";
      box.type = "checkbox";
      box.name = root.dataset.multiple;
      box.value = unit.code;
      name.className = "unit-chip-name";
      name.textContent = unit.name;
      path.textContent = unit.path_label.split(" · ").slice(1).join(" · ");
      holder.append(box, " ", name, " ", path);
      item.appendChild(holder);
      chips.appendChild(item);
      removable(item);
      refresh();
      return root.dataset.added + " " + unit.path_label;
    });
    refresh();
  }

  // The combobox on `input`: suggestions from root.dataset.unitPicker; `onChoose(unit)` takes the unit
  // chosen and returns what to announce. Returns the live region it announces in.
  function combobox(root, input, onChoose) {
    const id = input.id || "unit-picker-" + (++serial);
    const list = document.createElement("ul");
    const status = document.createElement("p");
    list.id = id + "__list";
    list.className = "unit-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const fieldLabel = document.querySelector("label[for='" + input.id + "']");
    if (fieldLabel) {
      fieldLabel.id = fieldLabel.id || id + "__label";
      list.setAttribute("aria-labelledby", fieldLabel.id);
    }
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.after(list);
    root.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let results = [], active = -1, timer = null, controller = null, lastQuery = null;

    function open(flag) {
      list.hidden = !flag;
      input.setAttribute("aria-expanded", flag ? "true" : "false");
      if (!flag) setActive(-1);
    }
    function setActive(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function announce(count, more) {
      let text = count === 0 ? root.dataset.none : count === 1 ? root.dataset.one
        : root.dataset.many.replace("%(count)s", String(count));
      if (more) text += " " + root.dataset.more;
      status.textContent = text;
    }
    function render(data) {
      results = data.results || [];
      list.textContent = "";
      results.forEach(function (unit, i) {
        const item = document.createElement("li");
        const name = document.createElement("span");
        const path = document.createElement("small");
        const parts = unit.path_label.split(" · ");
        item.id = id + "__option" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        name.className = "unit-picker-name";
        name.textContent = parts[0];
        path.textContent = parts.slice(1).join(" · ");
        item.appendChild(name);
        if (parts.length > 1) item.appendChild(path);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(i); });
        list.appendChild(item);
      });
      if (data.more) {
        const more = document.createElement("li");
        more.className = "unit-picker-more";
        more.setAttribute("aria-hidden", "true");
        more.textContent = root.dataset.more;
        list.appendChild(more);
      }
      open(results.length > 0);
      setActive(results.length ? 0 : -1);
      announce(results.length, data.more);
    }
    function search() {
      const query = input.value.trim();
      if (query === lastQuery && !list.hidden) return;
      lastQuery = query;
      if (controller) controller.abort();
      controller = new AbortController();
      const url = root.dataset.unitPicker + (root.dataset.unitPicker.indexOf("?") < 0 ? "?" : "&") +
        "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(render)
        .catch(function () {});
    }
    function choose(index) {
      const unit = results[index];
      if (!unit) return;
      const said = onChoose(unit);
      lastQuery = null;
      open(false);
      status.textContent = said;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (event) {
      const count = results.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { lastQuery = null; search(); return; }
        if (!count) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + count) % count);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        open(false);
      } else if (event.key === "Tab") {
        open(false);
      }
    });
    input.addEventListener("blur", function () { setTimeout(function () { open(false); }, 150); });
    return status;
  }

  function init() {
    document.querySelectorAll("[data-unit-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
