/* Quick replies: a chosen approved phrase or 预案 is inserted at the cursor of its text box, and the
   box's forbidden-phrase check runs again (it listens for input). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-insert-into]");
    if (!item) return;
    var box = document.getElementById(item.dataset.insertInto);
    if (!box) return;
    var text = item.dataset.text || "";
    var start = box.selectionStart != null ? box.selectionStart : box.value.length;
    var end = box.selectionEnd != null ? box.selectionEnd : box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
