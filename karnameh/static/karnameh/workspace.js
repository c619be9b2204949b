// The gauge editor's autosave status (no inline scripts: the CSP allows only our own files).
// htmx saves the form a moment after a field changes and puts the server's answer in
// #save-status; until then, and when the request fails, this says the entry is not saved.
(function () {
  "use strict";
  var form = document.getElementById("gauge-form");
  var status = document.getElementById("save-status");
  if (!form || !status || !form.hasAttribute("hx-post")) {
    return;
  }
  function say(text, css) {
    var line = document.createElement("span");
    line.className = css;
    line.textContent = text;
    status.replaceChildren(line);
  }
  function unsaved(event) {
    // The hidden version and key change when a save lands; they are not the person's edits.
    if (event.target && event.target.type === "hidden") {
      return;
    }
    say(status.dataset.unsaved, "text-warning-emphasis");
  }
  form.addEventListener("input", unsaved);
  form.addEventListener("change", unsaved);
  function failed(event) {
    if (event.detail && event.detail.elt === form) {
      say(status.dataset.failed, "text-danger");
    }
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);
})();
