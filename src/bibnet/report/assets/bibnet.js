/* bibnet reports: draw the embedded plotly figures, sort and filter tables. No network. */
(function () {
  "use strict";

  function drawFigures() {
    var divs = Array.prototype.slice.call(document.querySelectorAll("div.figure[data-figure]"));
    var drawn = divs.map(function (div) {
      var spec = JSON.parse(document.getElementById(div.getAttribute("data-figure")).textContent);
      // The figure's own config (its toolbar: on hover, or none where nothing zooms).
      var config = Object.assign({responsive: true, displaylogo: false}, spec.config,
                                 {topojsonURL: "./"});
      return Plotly.newPlot(div, spec.data, spec.layout, config);
    });
    Promise.all(drawn).then(function () {
      document.body.setAttribute("data-figures-drawn", String(divs.length));
    }, function (error) {
      document.body.setAttribute("data-figures-failed", String(error));
      console.error("bibnet: a figure failed to draw:", error);
    });
  }

  function cellKey(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var number = Number(value);
    return value.trim() !== "" && !isNaN(number) ? number : value.trim().toLowerCase();
  }

  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      th.title = "sort by this column";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (row, index) { row.__order = index; });
        rows.sort(function (a, b) {
          var x = cellKey(a, column), y = cellKey(b, column);
          var result = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0)
            : (typeof x === "number" ? -1 : 1);
          return (ascending ? result : -result) || a.__order - b.__order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function makeFilter(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) < 0;
      });
    });
  }

  function makeDetailsToggle(input) {
    var table = document.getElementById(input.getAttribute("data-details"));
    function apply() { table.classList.toggle("show-details", input.checked); }
    input.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("input.table-filter"), makeFilter);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-details]"),
                                 makeDetailsToggle);
    if (window.Plotly) {
      drawFigures();
    } else if (document.querySelector("div.figure[data-figure]")) {
      console.error("bibnet: plotly.min.js is missing from the report's assets folder");
    }
  });
})();
