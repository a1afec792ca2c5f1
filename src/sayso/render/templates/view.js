// Rows and highlights mark each other. One listener for the whole page; nothing runs at load.
(function () {
  "use strict";
  var marked = {};  // page id -> {item, nodes}
  var ITEM = /^[ac][0-9]+$/;

  // A row lists its drawn spans once, as "key:start:end"; a highlight gives only its offset
  // (data-o). The text is cut at every span's edges, so a span's highlights are those whose
  // offset lies in it: found here on a click, never written out for every pair.
  function spansOf(row) {
    var words = (row.getAttribute("data-spans") || "").split(" "), found = [];
    for (var i = 0; i < words.length; i++) {
      var parts = words[i].split(":");
      if (parts.length === 3) { found.push([Number(parts[1]), Number(parts[2])]); }
    }
    return found;
  }

  function covers(spans, at) {
    for (var k = 0; k < spans.length; k++) {
      if (spans[k][0] <= at && at < spans[k][1]) { return spans[k]; }
    }
    return null;
  }

  function select(page, item, reveal) {
    var last = marked[page.id];
    if (last) {
      for (var i = 0; i < last.nodes.length; i++) {
        last.nodes[i].classList.remove("is-marked");
        last.nodes[i].removeAttribute("aria-current");
      }
    }
    if (!ITEM.test(item)) { return; }
    var row = page.querySelector('tr[data-item="' + item + '"]');
    var nodes = [];
    if (row) {
      var spans = spansOf(row);
      var pieces = page.querySelectorAll(".hl[data-o]");
      for (var j = 0; j < pieces.length; j++) {
        if (covers(spans, Number(pieces[j].getAttribute("data-o")))) { nodes.push(pieces[j]); }
      }
      nodes.push(row);
    }
    var first = null;
    for (var n = 0; n < nodes.length; n++) {
      nodes[n].classList.add("is-marked");
      nodes[n].setAttribute("aria-current", "true");
      if (!first && nodes[n].matches(reveal)) { first = nodes[n]; }
    }
    marked[page.id] = {item: item, nodes: nodes};
    if (first) { reveal(first); }
  }

  // The items whose spans cover offset `at`, innermost (shortest span) first.
  function itemsAt(page, at) {
    var rows = page.querySelectorAll("tr[data-item]"), found = [];
    for (var i = 0; i < rows.length; i++) {
      var best = null, spans = spansOf(rows[i]);
      for (var k = 0; k < spans.length; k++) {
        var s = spans[k];
        if (s[0] <= at && at < s[1] && (!best || s[1] - s[0] < best[1] - best[0] ||
            (s[1] - s[0] === best[1] - best[0] && s[0] < best[0]))) { best = s; }
      }
      if (best) { found.push([best[1] - best[0], best[0], rows[i].getAttribute("data-item")]); }
    }
    found.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    return found.map(function (f) { return f[2]; });
  }

  // Scroll only the pane that holds the node, and only when the node is out of its view: the
  // page itself stays where the reader left it.
  function reveal(node) {
    var pane = node.closest(".pane");
    if (!pane || pane.scrollHeight <= pane.clientHeight) {
      node.scrollIntoView({block: "nearest"});
      return;
    }
    var box = node.getBoundingClientRect();
    var frame = pane.getBoundingClientRect();
    if (box.top < frame.top + 40 || box.bottom > frame.bottom) {
      pane.scrollTop += box.top - frame.top - (frame.height - box.height) / 2;
    }
  }

  function activate(node) {
    var page = node.closest("[data-page]");
    if (!page) { return; }
    if (node.hasAttribute("data-item")) {
      select(page, node.getAttribute("data-item"), ".hl");
      return;
    }
    // A piece of text may belong to several items: innermost first, and each click moves on.
    var items = itemsAt(page, Number(node.getAttribute("data-o")));
    if (!items.length) { return; }
    var last = marked[page.id];
    var at = last && last.from === node ? items.indexOf(last.item) : -1;
    select(page, items[(at + 1) % items.length], "tr");
    marked[page.id].from = node;
  }

  document.addEventListener("click", function (event) {
    var node = event.target.closest && event.target.closest("[data-item], .hl");
    if (node && !event.target.closest("a, summary")) { activate(node); }
  });
  // The speaker filter above an article's attributions: only that speaker's rows stay shown.
  document.addEventListener("change", function (event) {
    var filter = event.target;
    if (!filter.matches || !filter.matches("select[data-filter]")) { return; }
    var table = document.getElementById(filter.getAttribute("data-filter"));
    if (!table) { return; }
    var rows = table.querySelectorAll("tbody tr");
    for (var i = 0; i < rows.length; i++) {
      rows[i].hidden = filter.value !== "" && rows[i].getAttribute("data-speaker") !== filter.value;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { return; }
    var node = event.target;
    if (node.matches && node.matches("[data-item], .hl")) {
      event.preventDefault();
      activate(node);
    }
  });
})();
