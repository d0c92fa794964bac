/* Table view: bring the cited cell into view (only if it is not already) and give it focus. */
(function () {
  "use strict";
  var cell = document.getElementById("cited");
  if (!cell) { return; }
  var box = cell.getBoundingClientRect();
  var scroller = cell.closest(".scroll");
  var frame = scroller ? scroller.getBoundingClientRect() : { left: 0, right: window.innerWidth };
  var visible = box.top >= 0 && box.bottom <= window.innerHeight && box.left >= frame.left && box.right <= frame.right;
  if (!visible) { cell.scrollIntoView({ block: box.top >= 0 && box.bottom <= window.innerHeight ? "nearest" : "center", inline: "nearest" }); }
  cell.focus({ preventScroll: true });
})();
