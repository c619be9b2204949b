// The dashboards' charts (no inline scripts: the CSP allows only our own files). The page
// carries what to draw in <script type="application/json" id="dashboard-charts">, one entry
// per <canvas data-chart="name">; every chart has a table beside it with the same figures.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#adb5bd", "#198754", "#ffc107", "#6f42c1", "#dc3545", "#20c997"];
  var font = { family: "Vazirmatn, system-ui, sans-serif" };
  Chart.defaults.font.family = font.family;

  function datasets(spec) {
    return spec.datasets.map(function (set, index) {
      var colours = spec.type === "doughnut" ? palette : palette[index % palette.length];
      return {
        label: set.label,
        data: set.data.map(Number),
        backgroundColor: colours,
        borderWidth: spec.type === "doughnut" ? 1 : 0
      };
    });
  }

  function draw(canvas) {
    var spec = charts[canvas.dataset.chart];
    if (!spec || !spec.labels.length) {
      return;
    }
    var options = {
      // Persian digits on every axis and tooltip.
      locale: "fa-IR",
      responsive: true,
      plugins: { legend: { position: "bottom", rtl: true }, tooltip: { rtl: true } }
    };
    if (spec.type === "doughnut") {
      // A fixed box: a round chart as wide as its column would push the table out of view.
      options.maintainAspectRatio = false;
      canvas.parentNode.style.height = "260px";
    }
    if (spec.type === "bar") {
      var stacked = Boolean(spec.stacked);
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        // Right to left: the first category (or zero) on the right, the values' axis there too.
        x: { stacked: stacked, beginAtZero: true, reverse: true },
        y: { stacked: stacked, beginAtZero: true, position: "right" }
      };
      if (spec.horizontal) {
        // One bar per row: the box grows with the number of rows.
        options.maintainAspectRatio = false;
        canvas.parentNode.style.height = 80 + 36 * spec.labels.length + "px";
      }
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets(spec) },
      options: options
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
