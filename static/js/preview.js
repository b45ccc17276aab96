/* The preview's small helpers (deferred, after htmx). No inline scripts or styles anywhere (CSP).
 *
 * 1. A preview link that no longer fits the funnel (edited in another tab) is answered 400 with the reason
 *    inside #preview: htmx swaps that answer rather than leaving the click without a word.
 * 2. After a screen is swapped in, focus moves to its heading (the link just followed is gone), so keyboard
 *    and screen-reader users start reading the new screen from the top.
 */
(function () {
  "use strict";

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "400", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ];

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var preview = document.getElementById("preview");
    if (!preview || !event.detail || !event.detail.elt) return;
    if (preview.contains(document.activeElement)) return; // htmx kept focus on a control that survived
    var title = document.getElementById("screen-title");
    if (title) title.focus();
  });
})();
