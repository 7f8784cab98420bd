/* Guidance intake, improved: drag-and-drop upload, a selected passage becomes an item's
   offsets, passages and items find each other, deleting asks first. Every form also works
   without this file. */
(function () {
  "use strict";

  /* --- upload: drop files on the zone, list what is chosen -------------------------------- */
  function listChosen(zone, input) {
    var list = zone.querySelector("[data-chosen]");
    if (!list) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files || [], function (f) {
      var li = document.createElement("li");
      li.textContent = f.name;
      list.appendChild(li);
    });
  }

  function setUpDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    input.addEventListener("change", function () { listChosen(zone, input); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) {
        e.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      listChosen(zone, input);
    });
  }

  /* --- the document's text: offsets of a selection ---------------------------------------- */
  // Offsets are characters (code points) of the stored text, as the server counts them;
  // each piece of the text carries its own offset in data-offset.
  function codePoints(s) { return Array.from(s).length; }

  function pointOffset(column, node, offset) {
    var el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    var piece = el && el.closest ? el.closest("[data-offset]") : null;
    if (piece && column.contains(piece)) {
      var base = parseInt(piece.dataset.offset, 10);
      if (node.nodeType === Node.TEXT_NODE) return base + codePoints(node.data.slice(0, offset));
      return offset === 0 ? base : base + codePoints(piece.textContent);
    }
    // between pieces (a passage's label, the block itself): the next piece's start
    var point = document.createRange();
    point.setStart(node, offset);
    var pieces = column.querySelectorAll("[data-offset]");
    for (var i = 0; i < pieces.length; i++) {
      if (point.comparePoint(pieces[i], 0) >= 0) return parseInt(pieces[i].dataset.offset, 10);
    }
    return parseInt(column.dataset.length, 10);
  }

  function selectedSpan(column) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!column.contains(range.commonAncestorContainer) &&
        range.commonAncestorContainer !== column) return null;
    var start = pointOffset(column, range.startContainer, range.startOffset);
    var end = pointOffset(column, range.endContainer, range.endOffset);
    if (end <= start) return null;
    return [start, end];
  }

  function fullText(column) {
    var parts = [];
    column.querySelectorAll("[data-offset]").forEach(function (p) { parts.push(p.textContent); });
    return Array.from(parts.join(""));
  }

  function setUpSelection(column, form) {
    var chars = null;
    var start = form.querySelector("#add-start");
    var end = form.querySelector("#add-end");
    var title = form.querySelector("#add-title");
    var shown = form.querySelector("[data-selection-text]");
    var clear = form.querySelector("[data-clear-selection]");
    var emptyText = shown.textContent;
    var suggested = "";
    document.addEventListener("selectionchange", function () {
      var span = selectedSpan(column);
      if (!span) return;
      chars = chars || fullText(column);
      var text = chars.slice(span[0], span[1]).join("");
      var first = text.split("\n").map(function (l) { return l.trim(); })
        .filter(function (l) { return l; })[0] || "";
      start.value = span[0];
      end.value = span[1];
      if (!title.value || title.value === suggested) {
        suggested = first.slice(0, 200);
        title.value = suggested;
      }
      var preview = text.trim().replace(/\s+/g, " ");
      if (preview.length > 120) preview = preview.slice(0, 120) + "…";
      shown.textContent = form.dataset.chosenTemplate
        .replace("{n}", String(span[1] - span[0])).replace("{preview}", preview);
      clear.hidden = false;
    });
    clear.addEventListener("click", function () {
      start.value = "";
      end.value = "";
      if (title.value === suggested) title.value = "";
      suggested = "";
      shown.textContent = emptyText;
      clear.hidden = true;
    });
  }

  /* --- passages and items find each other ------------------------------------------------- */
  function highlight(id) {
    document.querySelectorAll(".current").forEach(function (el) { el.classList.remove("current"); });
    if (!id) return;
    document.querySelectorAll("mark[data-items]").forEach(function (m) {
      if (m.dataset.items.split(" ").indexOf(id) >= 0) m.classList.add("current");
    });
    var card = document.getElementById("item-" + id);
    if (card) card.classList.add("current");
  }

  function fromHash() {
    var m = /^#(?:passage|item)-(\d+)$/.exec(window.location.hash);
    highlight(m ? m[1] : null);
  }

  /* --- deleting asks first (without this file, the server asks) --------------------------- */
  function confirmFirst(e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    if (!window.confirm(form.dataset.confirm)) {
      e.preventDefault();
      return;
    }
    if (!form.querySelector("input[name=confirmed]")) {
      var yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirmed";
      yes.value = "1";
      form.appendChild(yes);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(setUpDropzone);
    var column = document.querySelector("[data-doc-text]");
    var form = document.getElementById("add-form");
    if (column && form) setUpSelection(column, form);
    window.addEventListener("hashchange", fromHash);
    fromHash();
  });
  document.addEventListener("submit", confirmFirst, true);
  // the same link twice does not change the address: highlight on every click
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a[data-passage], a.to-item") : null;
    if (link) highlight(link.dataset.passage || link.dataset.item);
  });
})();
