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

// The unit picker's script, loaded once on pages that show a picker (core.widgets.UnitPicker).
document.addEventListener("DOMContentLoaded", function () {
  const picker = document.querySelector("[data-unit-picker-script]");
  if (!picker) return;
  const script = document.createElement("script");
  script.src = picker.dataset.unitPickerScript;
  document.head.appendChild(script);
});
