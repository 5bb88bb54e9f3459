/* ComplaintDesk workspace: a little glue around htmx. No build step. */
(function () {
  "use strict";
  // Validation errors come back as 4xx with the form re-rendered: swap them in like a 200.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(403|409|422)", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  var T = window.DESK_I18N || {};

  function spell(seconds) {
    var overdue = seconds < 0, s = Math.abs(seconds);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var parts = [];
    if (d) parts.push(T.days.replace("{n}", d));
    if (h) parts.push(T.hours.replace("{n}", h));
    if (!d) parts.push(T.minutes.replace("{n}", m));
    return (overdue ? T.overdue : T.left).replace("{t}", parts.join(" "));
  }

  // Deadline clocks tick down in working time: the server says whether now is working time.
  function tick() {
    document.querySelectorAll("[data-clock][data-ticking='1']").forEach(function (el) {
      var left = parseInt(el.dataset.left, 10) - 60;
      el.dataset.left = String(left);
      var text = el.querySelector(".clock-text");
      if (text) text.textContent = spell(left);
      if (left < 0 && !el.classList.contains("overdue")) {
        el.classList.add("overdue");
        var icon = el.querySelector(".clock-icon");
        if (icon) icon.textContent = "⚠";
      }
    });
  }
  setInterval(tick, 60000);

  document.addEventListener("click", function (event) {
    var apply = event.target.closest("[data-apply-field]");
    if (apply) {
      var form = apply.closest("form") || document;
      var input = form.querySelector("[name='" + apply.dataset.applyField + "']");
      if (input) {
        input.value = apply.dataset.applyValue;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        apply.setAttribute("aria-pressed", "true");
      }
    }
    var all = event.target.closest("[data-select-all]");
    if (all) {
      document.querySelectorAll("input[name='ids']").forEach(function (box) { box.checked = all.checked; });
    }
    if (event.target.closest("[data-print]")) window.print();
  });

  // Forms marked data-submit-once (intake) cannot be sent twice by a double-click, with or
  // without htmx; the server's one-time token catches whatever still gets through.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-submit-once]");
    if (!form) return;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    setTimeout(function () { form.dataset.submitting = ""; }, 5000);
  }, true);

  // A returning caller: fill the customer fields the agent has not typed yet from the look-up.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target && event.detail.target.querySelector("[data-prefill]");
    var form = document.getElementById("intake-form");
    if (!box || !form) return;
    Object.keys(box.dataset).forEach(function (key) {
      if (key === "prefill" || !box.dataset[key]) return;
      var field = form.elements[key];
      if (!field) return;
      if (field instanceof RadioNodeList) {
        if (!field.value) field.value = box.dataset[key];
      } else if (!field.value || (field.tagName === "SELECT" && !field.dataset.touched)) {
        field.value = box.dataset[key];
        field.dataset.prefilled = "1";
      }
    });
  });
  document.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") event.target.dataset.touched = "1";
  });

  // At phone width the secondary cards start folded (a tap opens them), so the page is short.
  var narrow = window.matchMedia("(max-width: 768px)");
  htmx.onLoad(function (root) {
    if (!narrow.matches) return;
    var scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll("details.card-fold[open]").forEach(function (card) { card.removeAttribute("open"); });
  });

  // After saving, the sentence to read out stays in view (the new form's autofocus would scroll
  // it away).
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var saved = event.detail.target && event.detail.target.querySelector("#intake-saved");
    if (!saved) return;
    var phone = document.getElementById("id_phone");
    if (phone) phone.focus({ preventScroll: true });
    saved.scrollIntoView({ block: "start" });
  });

  // After a successful intake the form is cleared for the next call.
  document.body.addEventListener("intake-saved", function () {
    var form = document.getElementById("intake-form");
    if (form) form.reset();
  });

  // The timeline: show one kind of event, and newest or oldest first (CSS does the hiding).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tl-filter], [data-tl-order]");
    if (!button) return;
    var list = document.getElementById("timeline");
    if (!list) return;
    if (button.hasAttribute("data-tl-order")) {
      var desc = list.dataset.order !== "desc";
      list.dataset.order = desc ? "desc" : "asc";
      button.setAttribute("aria-pressed", desc ? "true" : "false");
      return;
    }
    list.dataset.filter = button.dataset.tlFilter;
    button.parentElement.querySelectorAll("[data-tl-filter]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  });
})();
