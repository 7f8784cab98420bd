// The operator's page: play an entry in the page, and show emergency bulletins as they come.
(function () {
  "use strict";
  var player = document.getElementById("player");
  var playing = null;

  function stop() {
    if (!playing) return;
    playing.classList.remove("playing");
    playing.textContent = playing.dataset.label;
    playing = null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-play]");
    if (!link || !player) return;
    event.preventDefault();
    if (playing === link) { player.pause(); stop(); return; }
    stop();
    link.dataset.label = link.dataset.label || link.textContent;
    player.src = link.href;
    player.play().catch(function () { stop(); });
    link.classList.add("playing");
    link.textContent = link.dataset.stop;
    playing = link;
  });
  if (player) player.addEventListener("ended", stop);

  var box = document.getElementById("bulletins");
  if (!box || !window.EventSource) return;
  var title = document.title;

  function show(b) {
    var old = box.querySelector('[data-id="' + b.id + '"]');
    var card = document.createElement("article");
    card.className = "bulletin" + (b.state === "cancelled" ? " cancelled" : "");
    card.dataset.id = b.id;
    var flag = document.createElement("p");
    flag.className = "flag";
    flag.textContent = b.state === "cancelled" ? box.dataset.labelCancelled : box.dataset.labelLive;
    var h = document.createElement("h2");
    h.textContent = b.title;
    card.append(flag, h);
    if (b.text) { var p = document.createElement("p"); p.textContent = b.text; card.append(p); }
    if (b.state !== "cancelled") {
      var parts = (b.parts || []).filter(function (x) { return x.audio_hash; });
      parts.forEach(function (part) {
        var a = document.createElement("audio");
        a.controls = true;
        a.preload = "none";
        a.src = box.dataset.audio + part.audio_hash + box.dataset.query;
        a.setAttribute("aria-label", box.dataset.labelPlay);
        card.append(a);
      });
      var first = card.querySelector("audio");
      if (first) {
        if (player) player.pause();
        first.play().catch(function () {});
        card.querySelectorAll("audio").forEach(function (a, i, all) {
          if (all[i + 1]) a.addEventListener("ended", function () { all[i + 1].play().catch(function () {}); });
        });
      }
      if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
      document.title = box.dataset.labelTitle + " — " + b.title;
    } else {
      document.title = title;
    }
    if (old) old.replaceWith(card); else box.prepend(card);
    card.scrollIntoView({ block: "start" });
  }

  var source = new EventSource(box.dataset.stream);
  source.addEventListener("emergency", function (event) {
    try { show(JSON.parse(event.data)); } catch (e) { /* a frame we cannot read */ }
  });
})();
