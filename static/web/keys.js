/* Keyboard shortcuts for the workspace; the list is the help overlay in layout/base.html (?). */
(function () {
  "use strict";
  var help = document.getElementById("keys-help");
  var current = -1;

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-number]")); }
  function mark(index) {
    var list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row, i) { row.classList.toggle("kbd-current", i === current); });
    list[current].scrollIntoView({ block: "nearest" });
    var link = list[current].querySelector("a[href]");
    if (link) link.focus({ preventScroll: true });
  }
  function go(selector) {
    var link = document.querySelector(selector);
    if (link) window.location.assign(link.getAttribute("href"));
  }
  function toggleHelp(show) {
    if (!help) return;
    if (show === undefined) show = help.hasAttribute("hidden");
    if (show) help.removeAttribute("hidden"); else help.setAttribute("hidden", "");
  }

  document.addEventListener("keydown", function (event) {
    // Save: Ctrl/⌘+S submits the form being typed in (or the intake form).
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      var form = (document.activeElement && document.activeElement.form) || document.getElementById("intake-form");
      if (form) {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") { toggleHelp(false); return; }
    if (typing(event.target)) return;
    switch (event.key) {
      case "?": toggleHelp(); break;
      case "n": go("a[data-key='intake']"); break;
      case "/": {
        var search = document.querySelector("input[type=search]");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      }
      case "j": mark(current + 1); break;
      case "k": mark(current - 1); break;
      case "Enter": case "o": {
        var list = rows();
        if (current >= 0 && list[current]) {
          var open = list[current].querySelector("a[href]");
          if (open) { event.preventDefault(); window.location.assign(open.getAttribute("href")); }
        }
        break;
      }
      case "g": go("a.brand"); break;
      default: return;
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-keys-help]")) toggleHelp();
  });
  // A re-rendered queue starts again from the top.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "results") current = -1;
  });
})();
