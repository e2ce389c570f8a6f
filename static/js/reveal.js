// Progressive disclosure: a part of a form marked data-reveal-when-checked="<checkbox id>"
// shows only while that checkbox is ticked. Without JavaScript every part shows and the
// form still works. The hidden attribute takes a hidden part out of the tab order and
// away from screen readers; aria-controls tells them what the checkbox opens.
(function () {
  "use strict";
  document.querySelectorAll("[data-reveal-when-checked]").forEach(function (part) {
    var box = document.getElementById(part.dataset.revealWhenChecked);
    if (!box || !part.id) return;
    box.setAttribute("aria-controls", part.id);
    function update() {
      part.hidden = !box.checked;
    }
    box.addEventListener("change", update);
    update();
  });
})();
