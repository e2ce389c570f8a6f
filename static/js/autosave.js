// Keeps what the co-ordinator types in a minute on this device as they type, so a
// closed lid, a lost connection or an expired session loses nothing. On return, an
// unsaved draft is offered back, never applied silently. Saving the form clears it.
// The key names the user (by number only), so that someone else signed in on the same
// device is never offered it; signing out clears every such key (sign-out.js, which
// knows this prefix).
(function () {
  "use strict";
  var PREFIX = "scrutiny-autosave-";
  var form = document.querySelector("form[data-autosave-key][data-autosave-user]");
  var status = document.getElementById("autosave-status");
  if (!form || !window.localStorage || !status || !form.dataset.autosaveUser) return;
  var key = PREFIX + form.dataset.autosaveUser + "-" + form.dataset.autosaveKey;
  var fields = form.querySelectorAll("[data-autosave]");

  function snapshot() {
    var values = {};
    fields.forEach(function (field) { values[field.dataset.autosave] = field.value; });
    return values;
  }

  function differs(values) {
    return Array.prototype.some.call(fields, function (field) {
      return (values[field.dataset.autosave] || "") !== field.value;
    });
  }

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && saved.values && differs(saved.values)) {
    var when = new Date(saved.at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    status.textContent = "You have unsaved text for this minute from " + when + ". ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-outline-primary";
    restore.textContent = "Put back my unsaved text";
    restore.addEventListener("click", function () {
      fields.forEach(function (field) {
        if (field.dataset.autosave in saved.values) field.value = saved.values[field.dataset.autosave];
      });
      status.textContent = "Your unsaved text is back in the form. Save the minute to keep it.";
      fields[0].focus();
    });
    status.appendChild(restore);
  }

  var timer = null;
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() }));
      status.textContent = "Draft kept on this device.";
    }, 800);
  });
  form.addEventListener("submit", function () { localStorage.removeItem(key); });
})();
