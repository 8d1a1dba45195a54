// The attempt's countdown: the server printed the time it is up; this only counts down on the page.
(function () {
  "use strict";
  var clock = document.getElementById("quiz-clock");
  var left = document.getElementById("quiz-left");
  if (!clock || !left) return;
  var end = Date.now() + 1000 * parseInt(clock.getAttribute("data-seconds") || "0", 10);
  function tick() {
    var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    left.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
    if (seconds > 0) window.setTimeout(tick, 1000);
    else clock.classList.add("quiz-clock-over");
  }
  tick();
})();
