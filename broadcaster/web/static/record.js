// Recording an announcement in the browser (MediaRecorder): start, stop, listen, send.
// Without JavaScript or without a microphone the page's plain upload form does the same.
(function () {
  "use strict";

  var state = { recorder: null, chunks: [], blob: null, started: 0, tick: null, stream: null };

  function box() { return document.getElementById("recorder"); }
  function part(name) { var b = box(); return b && b.querySelector('[data-record="' + name + '"]'); }

  function csrfToken() {
    var raw = document.body.getAttribute("hx-headers");
    if (raw) {
      try { return JSON.parse(raw)["X-CSRF-Token"] || ""; } catch (e) { /* fall through */ }
    }
    var field = document.querySelector('input[name="csrf"]');
    return field ? field.value : "";
  }

  function say(text) { var s = part("state"); if (s) { s.textContent = text; } }

  function showTime() {
    var t = part("timer");
    if (!t) { return; }
    var seconds = Math.floor((Date.now() - state.started) / 1000);
    t.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function pickType() {
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; }
    }
    return "";
  }

  function stopStream() {
    if (state.stream) { state.stream.getTracks().forEach(function (t) { t.stop(); }); }
    state.stream = null;
  }

  function finished() {
    clearInterval(state.tick);
    stopStream();
    var type = (state.recorder && state.recorder.mimeType) || "audio/webm";
    state.blob = new Blob(state.chunks, { type: type });
    var preview = part("preview");
    preview.src = URL.createObjectURL(state.blob);
    preview.hidden = false;
    part("send").hidden = false;
    part("start").disabled = false;
    part("stop").disabled = true;
    say(box().dataset.recorded || "");
  }

  function start() {
    var b = box();
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      state.stream = stream;
      state.chunks = [];
      state.blob = null;
      var type = pickType();
      state.recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      state.recorder.ondataavailable = function (e) { if (e.data.size) { state.chunks.push(e.data); } };
      state.recorder.onstop = finished;
      state.recorder.start(1000);
      state.started = Date.now();
      showTime();
      state.tick = setInterval(showTime, 250);
      part("start").disabled = true;
      part("stop").disabled = false;
      part("send").hidden = true;
      part("preview").hidden = true;
      say(b.dataset.recording || "");
    }).catch(function (err) {
      say(b.dataset.noMic + " " + (err && err.message ? err.message : err));
    });
  }

  function stop() {
    if (state.recorder && state.recorder.state !== "inactive") { state.recorder.stop(); }
  }

  function extension(type) {
    if (type.indexOf("ogg") >= 0) { return "ogg"; }
    if (type.indexOf("mp4") >= 0) { return "m4a"; }
    return "webm";
  }

  function send() {
    var b = box();
    if (!state.blob) { return; }
    if (state.blob.size > Number(b.dataset.maxBytes)) { say(b.dataset.tooLarge); return; }
    var data = new FormData();
    var stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    data.append("file", state.blob, "ghi-am-" + stamp + "." + extension(state.blob.type));
    part("send").disabled = true;
    say(b.dataset.sending || "");
    fetch(b.dataset.upload, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var audio = document.getElementById("audio");
      audio.outerHTML = html;
      var fresh = document.getElementById("audio");
      if (window.htmx && fresh) { window.htmx.process(fresh); }
      state.blob = null;
      setup();
    }).catch(function (err) {
      part("send").disabled = false;
      say(b.dataset.failed + " " + err.message);
    });
  }

  function setup() {
    var b = box();
    if (!b || b.dataset.ready) { return; }
    if (!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      return; // the upload form stays the way to add a recording
    }
    b.dataset.ready = "1";
    b.hidden = false;
    part("start").addEventListener("click", start);
    part("stop").addEventListener("click", stop);
    part("send").addEventListener("click", send);
  }

  // A file over the limit is refused here, before it is sent (the server refuses it too,
  // before reading it, but a browser cut off mid-upload shows only a connection error).
  function uploadError(form, text) {
    var input = form.querySelector('input[type="file"]');
    var error = form.querySelector("#upload-error");
    if (!error) {
      error = document.createElement("p");
      error.id = "upload-error";
      error.className = "error";
      error.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", error);
    }
    error.textContent = text;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "upload-error");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.upload[data-max-bytes]")) { return; }
    var input = form.querySelector('input[type="file"]');
    var file = input && input.files && input.files[0];
    if (file && file.size > Number(form.dataset.maxBytes)) {
      event.preventDefault();
      var size = (file.size / 1024 / 1024).toFixed(0);  // as the server says it
      var why = form.dataset.tooLarge.replace("{size}", size);
      uploadError(form, form.dataset.notAdded + " " + file.name + ": " + why);
    }
  });

  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSwap", setup);
})();
