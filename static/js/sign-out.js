// Minute text typed on this device waits in its browser storage until it is saved
// (autosave.js), exempt minutes included. Signing out takes it away, so that the next
// person at a shared computer cannot read it: when a sign-out form is sent, and again
// on the page that says you have signed out, in case the first was cut short. The
// server also asks the browser to clear its storage (Clear-Site-Data); this is for
// browsers that do not.
(function () {
  "use strict";
  // autosave.js's prefix, and the one its keys had before they named the user.
  var PREFIXES = ["scrutiny-autosave-", "scrutiny-minute-"];

  function clearDrafts() {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        var ours = PREFIXES.some(function (prefix) { return key && key.indexOf(prefix) === 0; });
        if (ours) window.localStorage.removeItem(key);
      }
    } catch (e) {
      // Storage switched off or blocked: nothing can have been kept in it.
    }
  }

  document.querySelectorAll("form[data-signs-out]").forEach(function (form) {
    form.addEventListener("submit", clearDrafts);
  });
  if (document.querySelector("[data-signed-out]")) clearDrafts();
})();
