/* Sort the target table by a column: select a heading (mouse, Enter or Space); again to reverse. */
(function () {
  "use strict";
  var table = document.getElementById("targets");
  if (!table) { return; }
  var status = document.getElementById("sort-status");
  var headers = table.tHead.rows[0].cells;
  var body = table.tBodies[0];
  Array.prototype.forEach.call(body.rows, function (row, i) { row.setAttribute("data-order", String(i)); });

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    raw = raw.trim();
    if (raw === "") { return null; }
    return numeric ? parseFloat(raw) : raw.toLocaleLowerCase("en-GB");
  }

  function sortBy(col) {
    var th = headers[col];
    var numeric = th.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      var tie = parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10);
      if (x === null || y === null) { return x === y ? tie : (x === null ? 1 : -1); }  /* blanks last */
      var c = numeric ? x - y : x.localeCompare(y, "en-GB");
      return c === 0 ? tie : (ascending ? c : -c);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    if (status) {
      status.textContent = "Table sorted by " + th.querySelector("button").textContent.trim() + ", " + (ascending ? "ascending" : "descending") + ".";
    }
  }

  Array.prototype.forEach.call(headers, function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () { sortBy(col); });
    /* Print shows these words instead of the button (a repeated header row drops buttons). */
    var words = document.createElement("span");
    words.className = "print-label";
    words.setAttribute("aria-hidden", "true");
    words.textContent = button.textContent;
    th.appendChild(words);
  });
})();

/* Load the map once this page is laid out, so Leaflet measures its frame's real size and fits the areas. */
(function () {
  "use strict";
  function loadMaps() {
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-srcdoc]"), function (frame) {
      frame.srcdoc = frame.getAttribute("data-srcdoc");
    });
  }
  if (document.readyState === "complete") { loadMaps(); } else { window.addEventListener("load", loadMaps); }
})();
