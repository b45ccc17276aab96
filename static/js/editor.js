/* The funnel editor's small helpers. Loaded (deferred, after htmx) on the editor page.
 *
 * 1. htmx swaps the editor's refusals too: 409 (a stale edit: the status line says so) and 422 (the card,
 *    column or form again, the reason beside the control). Every reply's parts come out of band.
 * 2. A control's choices are fetched when it is opened: a <details data-load="url"> loads its form into its
 *    .load-here once, on the first opening, and moves focus to the form's first field.
 * 3. The flow diagram is a map: choosing a box scrolls to its card and focuses it.
 * 4. Drag and drop with SortableJS on [data-sortable] lists (bumps and cross-sells, whose order the buyer
 *    sees); on drop, the keys in their new order are posted to the list's data-reorder address.
 * 5. Any other failure (403, 500, no network) is said plainly in #editor-alert.
 * 6. Focus survives a swap, even when the move button just pressed becomes disabled.
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

  // 2. choices fetched on opening
  function load(details, focus) {
    var url = details.getAttribute("data-load");
    var here = details.querySelector(".load-here");
    if (!url || !here || details.hasAttribute("data-loaded")) return;
    details.setAttribute("data-loaded", "");
    here.textContent = "Loading…";
    htmx.ajax("GET", url, { target: here, swap: "innerHTML" }).then(function () {
      var first = here.querySelector("select, input:not([type=hidden])");
      if (first && focus) first.focus();
    });
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details instanceof HTMLDetailsElement && details.open) load(details, true);
  }, true);
  // a control the page opened itself (the first step of an empty funnel) loads at once, without taking focus
  function loadOpened(root) {
    root.querySelectorAll("details[open][data-load]").forEach(function (details) { load(details, false); });
  }

  // 3. the diagram as a map
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#flow a[href^='#']");
    if (!link) return;
    var card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    card.scrollIntoView({ block: "center", behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    card.focus({ preventScroll: true });
  });

  // 4. drag and drop
  function postOrder(list) {
    var url = list.getAttribute("data-reorder");
    if (!url) return;
    var keys = [];
    document.querySelectorAll('[data-reorder="' + url + '"]').forEach(function (each) {
      Array.prototype.forEach.call(each.children, function (item) {
        var key = item.getAttribute("data-key");
        if (key) keys.push(key);
      });
    });
    var version = document.getElementById("funnel-version");
    htmx.ajax("POST", url, { source: list, swap: "none", values: { key: keys, version: version ? version.value : "" } });
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

  // 6. focus stays where it was (htmx refocuses an element with the same id); a move button that became
  // disabled (the step is now first or last) hands focus to its pair, so the keyboard is never dropped.
  var focused = null; // the id of what had focus ("" for a control without one, such as a form's button)
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focused = active && active !== document.body ? active.id : null;
  });
  function keepFocus() {
    if (focused === null) return;
    var active = document.activeElement;
    if (!active || active === document.body) {
      var wanted = focused ? document.getElementById(focused) : null;
      if (wanted && wanted.disabled) {
        wanted = document.getElementById(focused.replace(/^move-(up|down)-/, function (_, way) {
          return "move-" + (way === "up" ? "down" : "up") + "-";
        }));
      }
      if (!wanted) {
        // the control is gone (its form was replaced by the new card): go to the status line's Undo or message
        wanted = document.querySelector("#editor-alert button") || document.querySelector("#editor-alert p");
        if (wanted && wanted.tagName === "P") wanted.setAttribute("tabindex", "-1");
      }
      if (wanted && !wanted.disabled) wanted.focus();
    }
    focused = null;
  }

  document.addEventListener("htmx:afterSettle", function () {
    initSortables(document);
    loadOpened(document);
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
  loadOpened(document);
})();
