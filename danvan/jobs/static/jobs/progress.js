// A job's progress kept current without reloading: polls the job's status (JSON) every 2 seconds and
// reloads the page once the job has finished (to show its download). Without JavaScript the page
// refreshes itself (<noscript> meta refresh) and offers a "Refresh now" link.
(function () {
  "use strict";
  const numbers = new Intl.NumberFormat("vi-VN");
  function update(box, status) {
    const bar = box.querySelector("[data-job=bar]");
    const count = box.querySelector("[data-job=count]");
    const state = box.querySelector("[data-job=state]");
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
      const template = box.dataset.countText || "";
      count.textContent = template.replace("{done}", numbers.format(status.done)).replace("{total}", numbers.format(status.total))
        + (status.percent === null ? "" : " (" + status.percent + " %)");
    }
    state.textContent = status.state_label;
  }
  function poll(box) {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) {
        if (status.finished) { window.location.reload(); return; }
        update(box, status);
        window.setTimeout(function () { poll(box); }, 2000);
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  document.querySelectorAll(".job-progress[data-polling]").forEach(function (box) {
    window.setTimeout(function () { poll(box); }, 2000);
  });
})();
