/* Undo and redo from the keyboard (templates/funnels/_undo_controls.html). Deferred, after htmx; no inline script (CSP).
 *
 * Ctrl+Z / Cmd+Z presses the Undo button; Ctrl+Shift+Z / Cmd+Shift+Z and Ctrl+Y press Redo. Never while typing in a
 * field (the browser's own undo of the text wins there), and never with Alt (other shortcuts). Pressing the button
 * submits its form, so htmx posts it exactly as a click would, the page's version included.
 */
(function () {
  "use strict";

  function typing(element) {
    if (!element || element === document.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function wanted(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
    var key = (event.key || "").toLowerCase();
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y" && event.ctrlKey && !event.shiftKey) return "redo";
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var which = wanted(event);
    if (!which || event.repeat || typing(event.target)) return;
    var button = document.querySelector('#undo-controls [data-undo="' + which + '"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
