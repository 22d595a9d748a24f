// On the embedding site: resize every Talang form iframe to the height it reports.
(function () {
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data.talangFormHeight !== "number") return;
    var frames = document.querySelectorAll("iframe[data-talang-form]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.ceil(data.talangFormHeight) + "px";
      }
    }
  });
})();
