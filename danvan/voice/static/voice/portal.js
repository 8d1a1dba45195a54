// Public portal, progressive enhancement only: every page works without it.
(function () {
  "use strict";
  // Unit search: refresh the list of units while typing.
  var form = document.querySelector("form[data-unit-search]");
  var results = document.getElementById("unit-results");
  if (form && results) {
    var input = form.querySelector("input[name=q]");
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var ticket = ++latest;
        var url = form.action.split("?")[0] + "?q=" + encodeURIComponent(input.value);
        fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
          .then(function (html) { if (ticket === latest) results.innerHTML = html; })
          .catch(function () {});
      }, 300);
    });
  }
  // Submission form: the "without my name" box hides the identity fields, and only for feedback and suggestions.
  var send = document.querySelector("form[data-portal-form]");
  if (send) {
    var anonymous = send.querySelector("input[name=anonymous]");
    var identity = send.querySelector("[data-identity]");
    var note = send.querySelector("[data-kind-note=denunciation]");
    var update = function () {
      var kind = (send.querySelector("input[name=kind]:checked") || {}).value || "";
      var allowed = kind === "feedback" || kind === "suggestion" || kind === "";
      if (anonymous) {
        anonymous.closest(".field").hidden = !allowed;
        if (!allowed) anonymous.checked = false;
      }
      if (identity) {
        // Hidden fields are disabled too, so that a name typed before ticking the box is not sent.
        var hide = Boolean(anonymous && anonymous.checked);
        identity.hidden = hide;
        identity.querySelectorAll("input").forEach(function (field) { field.disabled = hide; });
      }
      if (note) note.classList.toggle("highlight", kind === "denunciation");
    };
    send.addEventListener("change", update);
    update();

    // Files: warn before sending what the server would refuse (too many, too large), so nothing typed is lost.
    var files = send.querySelector("input[type=file][data-max-files]");
    var warning = send.querySelector("[data-files-warning]");
    var tooMuch = function () {
      if (!files || !files.files) return false;
      var total = 0, big = false;
      Array.prototype.forEach.call(files.files, function (file) {
        total += file.size;
        if (file.size > Number(files.dataset.maxFileBytes)) big = true;
      });
      return big || files.files.length > Number(files.dataset.maxFiles) || total > Number(files.dataset.maxTotalBytes);
    };
    if (files && warning) {
      files.addEventListener("change", function () { warning.hidden = !tooMuch(); });
      send.addEventListener("submit", function (event) {
        if (tooMuch()) {
          event.preventDefault();
          warning.hidden = false;
          files.focus();
        }
      });
    }
  }
})();
