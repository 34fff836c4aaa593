/* Layout defects of a drawn bibnet report page, measured on the boxes the browser laid out.
   Returns a list of strings, one per defect (empty: none found). Run by the browser tests
   with the page's figures drawn (body[data-figures-drawn]). */
return (function () {
  "use strict";
  var TOLERANCE = 1;  // px: boxes that touch within a pixel do not overlap
  var defects = [];

  function box(el) {
    var r = el.getBoundingClientRect();
    return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height};
  }
  function overlaps(a, b) {
    return Math.min(a.r, b.r) - Math.max(a.l, b.l) > TOLERANCE
      && Math.min(a.b, b.b) - Math.max(a.t, b.t) > TOLERANCE;
  }
  function inside(a, outer) {
    return a.l >= outer.l - TOLERANCE && a.r <= outer.r + TOLERANCE
      && a.t >= outer.t - TOLERANCE && a.b <= outer.b + TOLERANCE;
  }
  function shown(el) {
    for (var node = el; node && node.nodeType === 1; node = node.parentNode) {
      var style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden"
          || Number(style.opacity) === 0 && !node.classList.contains("modebar-container")
             && !node.classList.contains("modebar")) {
        return false;
      }
    }
    return true;
  }
  function describe(el) {
    return JSON.stringify((el.textContent || el.getAttribute("class") || el.tagName).trim()
                          .slice(0, 40));
  }
  /* Text a reader sees: not hover labels, not the toolbar, not empty. */
  function texts(div) {
    return Array.prototype.filter.call(div.querySelectorAll("svg text"), function (el) {
      if (el.closest(".hoverlayer, .modebar")) return false;
      var b = box(el);
      return el.textContent.trim() !== "" && b.w > 0 && b.h > 0 && shown(el);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("div.figure"), function (div) {
    var id = div.id, frame = box(div), labels = texts(div), boxes = labels.map(box);

    // 1. The toolbar's region holds nothing: no text, plot area, legend, colour bar or slider.
    var bar = div.querySelector(".modebar");
    if (bar) {
      var region = box(bar);
      var occupants = labels.concat(Array.prototype.slice.call(div.querySelectorAll(
        ".nsewdrag, .geo .bglayer, .geo, .legend, .colorbar, .slider-container, "
        + ".sankey .node-rect, .heatmaplayer image")));
      occupants.forEach(function (el) {
        if (shown(el) && overlaps(box(el), region)) {
          defects.push(id + ": the toolbar covers " + describe(el));
        }
      });
    }
    // 2. No text outside its figure (a clipped axis title, tick, slider label or legend).
    labels.forEach(function (el, i) {
      if (!inside(boxes[i], frame)) defects.push(id + ": text outside the figure " + describe(el));
    });
    // 3. No axis repeats a tick label.
    div.querySelectorAll(".xaxislayer-above, .yaxislayer-above, .cbaxis").forEach(function (axis) {
      var seen = {};
      axis.querySelectorAll("text").forEach(function (el) {
        var label = el.textContent.trim();
        if (!label || !shown(el)) return;
        if (seen[label]) defects.push(id + ": tick label repeated on an axis " + describe(el));
        seen[label] = true;
      });
    });
    // 4. No two texts drawn over each other.
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        if (overlaps(boxes[i], boxes[j])) {
          defects.push(id + ": texts overlap " + describe(labels[i]) + " / "
                       + describe(labels[j]));
        }
      }
    }
  });

  // 5. No table wider than its container unless a scroll container holds it.
  var page = document.documentElement.clientWidth;
  Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
    var container = table.parentElement, width = box(table).w;
    var scroller = table.closest(".table-scroll");
    var limit = box(container).w;
    if (width <= limit + TOLERANCE) return;
    var style = scroller && getComputedStyle(scroller);
    if (!style || !/(auto|scroll)/.test(style.overflowX) || box(scroller).r > page + TOLERANCE) {
      defects.push((table.id || "a table") + ": " + Math.round(width) + " px wide in "
                   + Math.round(limit) + " px without a scroll container");
    }
  });
  if (document.documentElement.scrollWidth > page + TOLERANCE) {
    defects.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " px in "
                 + page + " px");
  }
  return defects;
})();
