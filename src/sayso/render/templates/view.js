// Rows and highlights mark each other. One listener for the whole page; nothing runs at load.
(function () {
  "use strict";
  var marked = {};  // page id -> {item, nodes}
  var ITEM = /^[ac][0-9]+$/;

  function select(page, item, reveal) {
    var last = marked[page.id];
    if (last) {
      for (var i = 0; i < last.nodes.length; i++) {
        last.nodes[i].classList.remove("is-marked");
        last.nodes[i].removeAttribute("aria-current");
      }
    }
    if (!ITEM.test(item)) { return; }
    var nodes = page.querySelectorAll('[data-item="' + item + '"], [data-items~="' + item + '"]');
    var first = null;
    for (var j = 0; j < nodes.length; j++) {
      nodes[j].classList.add("is-marked");
      nodes[j].setAttribute("aria-current", "true");
      if (!first && nodes[j].matches(reveal)) { first = nodes[j]; }
    }
    marked[page.id] = {item: item, nodes: nodes};
    if (first) { reveal(first); }
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
    var items = node.getAttribute("data-items").split(" ");
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
