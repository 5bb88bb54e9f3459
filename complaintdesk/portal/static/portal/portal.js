/* Portal behaviour without inline handlers (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-autosubmit]")) el.form.submit();
    if (el.matches("[data-file-names]")) {
      var out = document.getElementById(el.getAttribute("data-file-names"));
      var names = [].map.call(el.files, function (f) { return f.name; });
      out.textContent = names.length ? names.join("、") : out.getAttribute("data-empty");
    }
  });
  /* One click, one submission: the button is disabled while the request runs (the server's
     one-time token catches what gets through anyway). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-once]")) return;
    var button = form.querySelector("button[type=submit]");
    if (button.disabled) { event.preventDefault(); return; }
    window.setTimeout(function () { button.disabled = true; button.setAttribute("aria-busy", "true"); }, 0);
  });
})();
