// Scanning with the phone's camera: the browser's BarcodeDetector where it has one, else ZXing
// (vendor/zxing-library-*.min.js, loaded only when first needed). The camera needs HTTPS (or localhost).
"use strict";

const Camera = (() => {
  const FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "itf", "qr_code"];
  const ZXING = "/handheld/static/vendor/zxing-library-0.21.3.min.js";
  let stream = null, zxingReader = null, stopped = true;

  function overlay(show) { document.getElementById("camera").hidden = !show; }
  function say(text) { document.getElementById("camera-msg").textContent = text; }

  function loadZxing() {
    if (window.ZXing) return Promise.resolve(window.ZXing);
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = ZXING;
      s.onload = () => resolve(window.ZXing);
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  async function withDetector(video, onCode) {
    const supported = await BarcodeDetector.getSupportedFormats();
    const detector = new BarcodeDetector({ formats: FORMATS.filter((f) => supported.includes(f)) });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    await video.play();
    const tick = async () => {
      if (stopped) return;
      try {
        const found = await detector.detect(video);
        if (found.length) { onCode(found[0].rawValue); return; }
      } catch (e) { /* a frame that is not ready yet */ }
      requestAnimationFrame(tick);
    };
    tick();
  }

  async function withZxing(video, onCode) {
    const ZX = await loadZxing();
    zxingReader = new ZX.BrowserMultiFormatReader();
    await zxingReader.decodeFromVideoDevice(undefined, video, (result) => {
      if (result && !stopped) onCode(result.getText());
    });
  }

  async function start(onCode) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return false; }
    const video = document.getElementById("camera-video");
    stopped = false;
    overlay(true);
    say(t("camera_point"));
    const done = (code) => { stop(); onCode(code); };
    try {
      if ("BarcodeDetector" in window) await withDetector(video, done);
      else await withZxing(video, done);
      return true;
    } catch (e) {
      stop();
      return false;
    }
  }

  function stop() {
    stopped = true;
    if (zxingReader) { zxingReader.reset(); zxingReader = null; }
    if (stream) { stream.getTracks().forEach((track) => track.stop()); stream = null; }
    overlay(false);
  }

  return { start, stop, loadZxing };
})();
