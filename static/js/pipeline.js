// The pipeline board: drag a project's card to another column to move it. A
// progressive enhancement over the card's own "Other move" form, which works without
// JavaScript: the drop chooses the phase in that form, then sends it — or, when the move
// needs a reason (skipping a phase, going back, dropping), opens it for the reason.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var help = document.getElementById("board-drag-help");
  if (help) { help.classList.remove("d-none"); }
  var dragged = null;

  board.querySelectorAll(".project-card").forEach(function (card) {
    if (!card.querySelector(".move-other form")) { return; }
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("opacity-50");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.project);
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("opacity-50");
      dragged = null;
      board.querySelectorAll(".board-column").forEach(function (c) {
        c.classList.remove("border-primary");
      });
    });
  });

  board.querySelectorAll(".board-column").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (dragged && dragged.dataset.phase !== column.dataset.phase) {
        event.preventDefault();
        column.classList.add("border-primary");
      }
    });
    column.addEventListener("dragleave", function () {
      column.classList.remove("border-primary");
    });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("border-primary");
      if (!dragged || dragged.dataset.phase === column.dataset.phase) { return; }
      var details = dragged.querySelector(".move-other");
      var form = details.querySelector("form");
      var select = form.querySelector("select[name=phase]");
      var option = select.querySelector('option[value="' + column.dataset.phase + '"]');
      if (!option) { return; }
      select.value = column.dataset.phase;
      var reason = form.querySelector("textarea[name=reason]");
      if (option.dataset.needsReason === "1" && !reason.value.trim()) {
        details.open = true;
        reason.focus();
        return;
      }
      form.submit();
    });
  });
})();
