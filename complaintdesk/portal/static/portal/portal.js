/* The portal's small behaviours, without inline handlers (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-once]")) return;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches) return;
    if (input.matches("[data-autosubmit]")) input.form.submit();
    if (input.matches("[data-names-into]")) {
      var names = [].map.call(input.files, function (f) { return f.name; });
      var target = document.getElementById(input.getAttribute("data-names-into"));
      target.textContent = names.length ? names.join("、") : input.getAttribute("data-empty-text");
    }
  });
})();
