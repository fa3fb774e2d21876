// Draws every chart of the page: each [data-chart] element names the json_script element
// holding its Vega-Lite specification (templates/observatory/_chart.html). Needs
// vendor/vega/vega.min.js, vega-lite.min.js and vega-embed.min.js loaded before it.
// `ast: true` makes Vega interpret its expressions instead of compiling them with
// Function(), which the site's content security policy (script-src 'self') forbids.
(function () {
  "use strict";
  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || element.getAttribute("data-drawn")) return;
    element.setAttribute("data-drawn", "pending");
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(element, spec, { actions: false, renderer: "svg", ast: true })
      .then(function () {
        element.setAttribute("data-drawn", "true");
        var figure = element.closest(".essor-chart");
        if (figure) figure.classList.add("essor-chart-drawn");
      })
      .catch(function (error) {
        element.setAttribute("data-drawn", "error");
        if (window.console) window.console.error(error);
      });
  }
  function drawAll() {
    if (!window.vegaEmbed) return;
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // Content loaded by htmx brings its charts with it.
  document.addEventListener("htmx:afterSettle", drawAll);
})();
