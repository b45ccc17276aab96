// The API docs page (/api/docs): start the vendored Swagger UI with the settings the page carries as JSON.
// An external file, so the page needs no inline script under the site's Content Security Policy.
(function () {
  "use strict";
  var block = document.getElementById("swagger-settings");
  var settings = JSON.parse(block.textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  settings.layout = "BaseLayout";
  window.SwaggerUIBundle(settings);
})();
