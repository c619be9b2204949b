// The public portal's charts (no inline scripts: the CSP allows only our own files).
// Each <canvas data-chart="ID"> is drawn from the JSON the page put in <script id="ID">
// (Django's json_script). The table under each chart carries the same figures for screen
// readers and for anyone without JavaScript; the canvas itself is role="img" with a label.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var COLOURS = ["#0b5ed7", "#6c757d", "#198754", "#b02a37"];
  var body = window.getComputedStyle(document.body);
  Chart.defaults.font.family = body.fontFamily;
  Chart.defaults.color = body.color;

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = Boolean(spec.horizontal);
    // Room for every bar of a horizontal chart; a fixed height for a line.
    var height = horizontal ? Math.max(220, spec.labels.length * 46 + 70) : 260;
    canvas.parentNode.style.height = height + "px";
    // Right to left, as Persian is read: bars grow from the right, years run leftwards, and
    // the axis of labels or values stands on the right.
    var valueScale = {
      min: 0,
      max: spec.max,
      reverse: horizontal,
      position: horizontal ? "bottom" : "right",
      ticks: { precision: 0 },
    };
    var labelScale = {
      reverse: !horizontal,
      position: horizontal ? "right" : "bottom",
      ticks: { autoSkip: false },
    };
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
            borderWidth: spec.type === "line" ? 2 : 0,
            pointRadius: 4,
            tension: 0,
          };
        }),
      },
      options: {
        // Drawn at once: nothing moves for people who asked for less motion, and a test sees
        // the finished chart.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: "fa-IR",
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueScale, y: labelScale } : { x: labelScale, y: valueScale },
        plugins: {
          legend: { rtl: true, textDirection: "rtl", display: spec.datasets.length > 1 },
          tooltip: { rtl: true, textDirection: "rtl" },
        },
      },
    });
    canvas.dataset.drawn = "true";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
