/* The funnel editor's small helpers. Loaded (deferred, after htmx and SortableJS) only for those who may edit.
 *
 * 1. htmx swaps the editor's refusals too: 409 (a stale edit: the message goes where the response's
 *    HX-Retarget header says, #editor-alert) and 422 (the column again, the reason beside the control).
 * 2. Drag and drop with SortableJS on every [data-sortable] list; on drop, the keys in their new order are put
 *    into the list's reorder form, which htmx posts (the same as the Up/Down buttons do from the keyboard).
 *    Lists are (re)initialised after every htmx swap (htmx:afterSettle), since a swap brings new lists.
 * 3. Any other failure (403, 500, no network) is said plainly in #editor-alert.
 * 4. Focus survives a swap, even when the move button just pressed becomes disabled.
 * No inline scripts or styles anywhere (CSP).
 */
(function () {
  "use strict";

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ];

  function say(text) {
    var region = document.getElementById("editor-alert");
    if (!region) return;
    var line = document.createElement("p");
    line.className = "message message-error";
    line.setAttribute("role", "alert");
    line.textContent = text + " ";
    var reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = "Reload the editor";
    line.appendChild(reload);
    region.replaceChildren(line);
  }

  function postOrder(list) {
    var selector = list.getAttribute("data-reorder-form");
    var form = selector && document.querySelector(selector);
    if (!form) return;
    // every list that shares the form (the checkout's bumps and cross-sells), in page order
    var lists = document.querySelectorAll('[data-reorder-form="' + selector + '"]');
    form.querySelectorAll('input[name="key"]').forEach(function (old) { old.remove(); });
    lists.forEach(function (each) {
      Array.prototype.forEach.call(each.children, function (item) {
        var key = item.getAttribute("data-key");
        if (!key) return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "key";
        input.value = key;
        form.appendChild(input);
      });
    });
    htmx.trigger(form, "reorder");
  }

  function initSortables(root) {
    if (typeof Sortable === "undefined") return;
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (Sortable.get(list)) return;
      Sortable.create(list, {
        handle: ".drag-handle",
        draggable: "[data-key]",
        animation: 150,
        forceFallback: true, // pointer events rather than native drag and drop: the same on mouse, pen and touch
        fallbackOnBody: true,
        ghostClass: "sortable-ghost",
        chosenClass: "sortable-chosen",
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) postOrder(list);
        }
      });
    });
  }

  // SortableJS leaves style="" on the items it animated; htmx would copy that attribute onto the swapped-in
  // items (it settles "style"), which the CSP refuses. Clear it before every swap.
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("[data-sortable][style], [data-sortable] [style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  });

  // Focus stays where it was (htmx refocuses an element with the same id); a move button that became
  // disabled (the step is now first or last) hands focus to its pair, so the keyboard is never dropped.
  var focused = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focused = active && active.id ? active.id : null;
  });
  function keepFocus() {
    if (!focused) return;
    var active = document.activeElement;
    if (!active || active === document.body) {
      var wanted = document.getElementById(focused);
      if (wanted && wanted.disabled) {
        wanted = document.getElementById(focused.replace(/^move-(up|down)-/, function (_, way) {
          return "move-" + (way === "up" ? "down" : "up") + "-";
        }));
      }
      if (wanted && !wanted.disabled) wanted.focus();
    }
    focused = null;
  }

  document.addEventListener("htmx:afterSettle", function () {
    initSortables(document);
    keepFocus();
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    say(status === 403
      ? "You may not change this funnel (403); nothing was saved."
      : "The change could not be saved (" + status + "); nothing was changed.");
  });
  document.addEventListener("htmx:sendError", function () {
    say("The change could not be sent: check your connection; nothing was saved.");
  });

  initSortables(document);
})();
