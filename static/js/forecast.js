/* The forecast's one helper (deferred, after htmx). No inline scripts or styles anywhere (CSP).
 *
 * As the coach types, htmx swaps the results and, out of band, the buyers field's message (#buyers-feedback),
 * but not the input itself: replacing it mid-typing would drop the keys typed since the request left. So the
 * input's aria-invalid follows the message here, invalid exactly while the message holds an error. Without
 * JavaScript the page is drawn whole and the server sets aria-invalid itself.
 */
(function () {
  "use strict";

  document.body.addEventListener("htmx:afterSettle", function () {
    var input = document.getElementById("buyers");
    var feedback = document.getElementById("buyers-feedback");
    if (!input || !feedback) return;
    if (feedback.querySelector(".field-error")) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  });
})();
