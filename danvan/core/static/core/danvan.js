// Progressive enhancement only: every page works without it.
// Lazy tree: a <details data-children-url> loads its children the first time it opens.
document.addEventListener("toggle", function (event) {
  const node = event.target;
  if (!(node instanceof HTMLDetailsElement) || !node.open || !node.dataset.childrenUrl || node.dataset.loaded) return;
  node.dataset.loaded = "1";
  fetch(node.dataset.childrenUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (html) { node.querySelector(".children").innerHTML = html; })
    .catch(function () { delete node.dataset.loaded; });
}, true);

// The menu's groups (<details class="navgroup">) work alone; with script, one is open at a time and
// Escape or a click elsewhere closes it, focus going back to its summary.
document.addEventListener("toggle", function (event) {
  const group = event.target;
  if (!(group instanceof HTMLDetailsElement) || !group.classList.contains("navgroup") || !group.open) return;
  document.querySelectorAll("details.navgroup[open]").forEach(function (other) {
    if (other !== group) other.open = false;
  });
}, true);
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  const open = document.activeElement && document.activeElement.closest("details.navgroup[open]");
  if (!open) return;
  open.open = false;
  open.querySelector("summary").focus();
});
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.navgroup[open]").forEach(function (group) {
    if (!group.contains(event.target)) group.open = false;
  });
});
// The unit picker's script, loaded once on pages that show a picker (core.widgets.UnitPicker).
document.addEventListener("DOMContentLoaded", function () {
  const picker = document.querySelector("[data-unit-picker-script]");
  if (!picker) return;
  const script = document.createElement("script");
  script.src = picker.dataset.unitPickerScript;
  document.head.appendChild(script);
});
// A table wider than the screen scrolls sideways inside its box (.table-wrap): such a box is made a
// named region that takes the keyboard focus, so it can be scrolled with the arrow keys too.
function markScrollingTables() {
  document.querySelectorAll(".table-wrap").forEach(function (box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const caption = box.querySelector("caption");
      const label = (caption && caption.textContent.trim()) || document.body.dataset.scrollLabel || "";
      if (label) box.setAttribute("aria-label", label);
      box.dataset.madeScrollable = "1";
    } else if (!scrolls && box.dataset.madeScrollable) {
      ["tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      delete box.dataset.madeScrollable;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
// A <select data-autosubmit> (the language switch) sends its form as soon as a choice is made.
document.addEventListener("change", function (event) {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
});
