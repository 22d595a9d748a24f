// The main menu's groups are <details> and work without this. It adds what a menu is expected
// to do besides: Escape closes the open group, and so does a click elsewhere or, from the
// keyboard, a move of focus out of it.
(function () {
  var groups = Array.prototype.slice.call(document.querySelectorAll(".site-nav details"));
  // Under a pointer the click decides: closing on the move of focus that comes first would
  // shift the page under the pointer before the click lands.
  var byPointer = false;
  document.addEventListener("pointerdown", function () { byPointer = true; }, true);
  document.addEventListener("keydown", function () { byPointer = false; }, true);
  document.addEventListener("click", function (event) {
    var keep = event.target.closest && event.target.closest(".site-nav details");
    groups.forEach(function (group) {
      if (group !== keep) group.open = false;
    });
  });
  groups.forEach(function (group) {
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
    group.addEventListener("focusout", function (event) {
      var to = event.relatedTarget;
      if (!byPointer && to && !group.contains(to)) group.open = false;
    });
  });
})();
