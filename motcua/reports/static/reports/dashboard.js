/* The report dashboard's charts (Chart.js, served from this site). Each chart has its numbers in a
   table beside it; once a chart is drawn, its table folds into its <details> (still one click away,
   and always read by screen readers). Without this script, the tables stay open. The period picker
   shows only the boxes the chosen kind of period uses. */
(function () {
  "use strict";

  // The period picker: month, quarter, year or a span of days.
  var kind = document.getElementById("id_kind");
  if (kind) {
    var boxes = document.querySelectorAll("[data-kinds]");
    var show = function () {
      boxes.forEach(function (box) {
        box.hidden = box.getAttribute("data-kinds").split(" ").indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", show);
    show();
  }

  var source = document.getElementById("report-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Colours that read on white and apart from each other (and not by colour alone: each has a label).
  var colours = ["#0b4f9c", "#0a6b2d", "#b07800", "#a3120f", "#5b3f8c"];
  Chart.defaults.font.family = '"DejaVu Sans", system-ui, sans-serif';
  Chart.defaults.color = "#1b1f24";
  Chart.defaults.maintainAspectRatio = false;
  // Drawn at once: a leader reads the figures, nothing moves (and screenshots show the real bars).
  Chart.defaults.animation = false;

  function bars(spec, options) {
    return spec.series.map(function (s, i) {
      var colour = s.colour || colours[i % colours.length];
      var dataset = { type: "bar", label: s.label, data: s.values, backgroundColor: colour, borderColor: colour };
      if (options && options.stacked) {
        dataset.stack = "all";
      }
      if (options && options.highlight !== undefined && options.highlight >= 0) {
        dataset.backgroundColor = s.values.map(function (_v, j) {
          return j === options.highlight ? "#b07800" : colour;
        });
      }
      return dataset;
    });
  }

  var builders = {
    trend: function (spec) {
      var datasets = bars(spec, { stacked: true });
      datasets.push({
        type: "line", label: spec.line.label, data: spec.line.values, yAxisID: "share",
        borderColor: spec.line.colour, backgroundColor: spec.line.colour, spanGaps: true
      });
      return {
        data: { labels: spec.labels, datasets: datasets },
        options: {
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
            share: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } }
          }
        }
      };
    },
    fields: function (spec) {
      return {
        data: { labels: spec.labels, datasets: bars(spec, { stacked: true }) },
        options: {
          indexAxis: "y",
          scales: {
            x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
            y: { stacked: true, ticks: { autoSkip: false } }
          }
        }
      };
    },
    score: function (spec) {
      return {
        data: { labels: spec.labels, datasets: bars(spec) },
        options: { scales: { y: { beginAtZero: true } } }
      };
    },
    ranking: function (spec) {
      return {
        data: { labels: spec.labels, datasets: bars(spec, { highlight: spec.current }) },
        options: {
          indexAxis: "y",
          scales: { x: { beginAtZero: true, max: 100 }, y: { ticks: { autoSkip: false } } },
          plugins: { legend: { display: false } }
        }
      };
    }
  };

  document.querySelectorAll("figure.rp-chart[data-chart]").forEach(function (figure) {
    var name = figure.getAttribute("data-chart");
    var spec = data[name];
    var canvas = figure.querySelector("canvas");
    if (!spec || !canvas || !builders[name]) {
      return;
    }
    var config = builders[name](spec);
    if (config.options.indexAxis === "y") {
      // One row per label, however many there are (set through the DOM: the CSP allows it).
      canvas.parentNode.style.height = Math.max(12, 2 * spec.labels.length + 4) + "rem";
    }
    config.type = "bar";
    new Chart(canvas, config);
    figure.classList.add("rp-drawn");
    var next = figure.nextElementSibling;
    if (next && next.tagName === "DETAILS" && next.classList.contains("rp-data")) {
      next.open = false;
    }
  });
})();
