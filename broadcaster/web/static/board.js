// The emergency console: record a bulletin in the browser (MediaRecorder). The recording is
// put in the form's file field, so the form sends it as it sends an uploaded file; without
// JavaScript or a microphone the file field alone does the same.
(function () {
  "use strict";

  function setup() {
    var box = document.getElementById("bulletin-recorder");
    var input = document.getElementById("b-recording");
    if (!box || !input || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) {
      return;
    }
    var start = box.querySelector('[data-record="start"]');
    var stop = box.querySelector('[data-record="stop"]');
    var state = box.querySelector('[data-record="state"]');
    var player = box.querySelector("audio");
    var recorder = null, chunks = [], stream = null;
    box.hidden = false;

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
        stream = s;
        chunks = [];
        recorder = new MediaRecorder(s);
        recorder.ondataavailable = function (e) {
          if (e.data.size) { chunks.push(e.data); box.setAttribute("data-chunks", String(chunks.length)); }
        };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          var type = recorder.mimeType || "audio/webm";
          var file = new File(chunks, "ghi-am.webm", { type: type });
          var dt = new DataTransfer();
          dt.items.add(file);
          input.files = dt.files;
          player.src = URL.createObjectURL(file);
          player.hidden = false;
          state.textContent = box.getAttribute("data-recorded");
        };
        recorder.start(250);  // a piece every 250 ms: the page can tell how much it has
        start.disabled = true;
        stop.disabled = false;
        state.textContent = box.getAttribute("data-recording");
      }).catch(function () {
        state.textContent = box.getAttribute("data-no-microphone");
      });
    });
    stop.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") { recorder.stop(); }
      start.disabled = false;
      stop.disabled = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
