// Drag and drop for the agenda builder, on top of the Move up / Move down buttons
// that work without JavaScript. After a drop the new order of that part is posted;
// the server answers with the renumbered builder, which replaces the old one.
(function () {
  "use strict";
  var container = document.getElementById("builder-parts");
  var status = document.getElementById("builder-status");
  if (!container || typeof Sortable === "undefined") return;
  var token = document.querySelector("#reorder-token [name=csrfmiddlewaretoken]").value;

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function post(list) {
    var body = new FormData();
    body.append("section", list.dataset.section);
    list.querySelectorAll("[data-item-id]").forEach(function (li) {
      body.append("item", li.dataset.itemId);
    });
    container.setAttribute("aria-busy", "true");
    fetch(container.dataset.reorderUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token, "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) throw new Error(text || "The agenda could not be reordered.");
        return text;
      });
    }).then(function (html) {
      container.innerHTML = html;
      init();
      announce("Agenda reordered and renumbered.");
    }).catch(function (error) {
      announce(error.message + " Reload the page to see the agenda as saved.");
    }).finally(function () {
      container.removeAttribute("aria-busy");
    });
  }

  function init() {
    container.querySelectorAll(".builder-list").forEach(function (list) {
      Sortable.create(list, {
        handle: ".drag-handle",
        animation: 150,
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) post(list);
        }
      });
    });
  }

  init();
})();

// Each item's "More actions" menu is a <details> disclosure, which needs no script. Escape
// closes it and returns to its button, as a keyboard user expects of a menu; opening one
// closes the others.
(function () {
  "use strict";
  var container = document.getElementById("builder-parts");
  if (!container) return;
  container.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest(".builder-more[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  container.addEventListener("toggle", function (event) {
    if (!event.target.matches(".builder-more") || !event.target.open) return;
    container.querySelectorAll(".builder-more[open]").forEach(function (other) {
      if (other !== event.target) other.open = false;
    });
  }, true);
})();
