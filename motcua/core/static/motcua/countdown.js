"use strict";
// Live countdown to the appointment on "my dossier" (the working-day deadline itself is shown by the server).
// A static file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var el = document.querySelector("[data-countdown]");
  if (!el) return;
  var due = new Date(el.getAttribute("data-countdown"));
  var vi = document.documentElement.lang === "vi";
  function tick() {
    var ms = due - new Date();
    if (ms <= 0) { el.textContent = vi ? "Đã đến hạn hẹn trả" : "The appointment has passed"; return; }
    var d = Math.floor(ms / 86400000), h = Math.floor(ms / 3600000) % 24, m = Math.floor(ms / 60000) % 60;
    el.textContent = vi ? ("Còn " + d + " ngày " + h + " giờ " + m + " phút") : (d + " d " + h + " h " + m + " min left");
  }
  tick(); setInterval(tick, 30000);
})();
