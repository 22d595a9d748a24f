// Inside an iframe: tell the embedding page how tall the form is, so it can grow with it.
(function () {
  if (window.parent === window) return;
  var last = 0;
  function report() {
    // The page's own height: scrollHeight is never less than the iframe, so it cannot shrink.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ talangFormHeight: height }, "*");
    }
  }
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
})();
