// A few lines of plain JavaScript; every page also works without it.
(function () {
  "use strict";
  // Drop a file on the upload box: it becomes the chosen file.
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var shown = document.getElementById("drop-name");
  if (drop && input) {
    var show = function () { shown.textContent = input.files.length ? input.files[0].name : ""; };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
  }
  // Say that the analysis is running while the upload is read.
  var form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function () {
      document.getElementById("busy").hidden = false;
      document.getElementById("analyse").disabled = true;
    });
  }
  // While a build runs: follow its progress, and show the memos the moment they are ready.
  var progress = document.getElementById("progress");
  if (progress) {
    var bar = progress.querySelector("progress");
    var step = document.getElementById("step");
    var poll = function () {
      fetch(progress.getAttribute("data-status-url") + "?wait=1", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          if (job.status === "done" || job.status === "failed") { location.reload(); return; }
          bar.max = job.total; bar.value = job.done; step.textContent = job.step + "…";
          poll();
        })
        .catch(function () { setTimeout(poll, 1000); });
    };
    poll();
  }
  // Escape in the source pane goes back to the citation that led there.
  var lastCite = null;
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && lastCite && document.activeElement && document.activeElement.closest(".source")) {
      lastCite.focus();
    }
  });
  // A citation highlights its sentence and scrolls only the source pane to it, so the finding stays
  // in view; keyboard focus moves to the sentence. Without JavaScript, CSS :target does the highlight.
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.cite") : null;
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("data-cite"));
    if (!target) { return; }
    e.preventDefault();
    lastCite = link;
    document.querySelectorAll(".sentence.highlight, .para.cited").forEach(function (el) {
      el.classList.remove("highlight", "cited");
    });
    target.classList.add("highlight");
    target.closest(".para").classList.add("cited");
    var pane = target.closest(".source");
    if (pane && pane.scrollHeight > pane.clientHeight && getComputedStyle(pane).position === "sticky") {
      pane.scrollTop += target.getBoundingClientRect().top - pane.getBoundingClientRect().top - pane.clientHeight / 3;
    } else {
      target.scrollIntoView({ block: "center" });
    }
    target.focus({ preventScroll: true });
    history.replaceState(null, "", "#" + target.id);
  });
})();
