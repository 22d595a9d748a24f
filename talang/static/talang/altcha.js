// Proof of work for the public forms (ALTCHA, first version of the protocol). Find the number
// whose SHA-256, after the challenge's salt, is the challenge, and send it with the form. It
// starts as soon as the page is shown, so it is normally done before the person is.
(function () {
  "use strict";

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  async function solve(challenge) {
    var max = Number(challenge.maxNumber || challenge.maxnumber || 1000000);
    var encoder = new TextEncoder();
    var batch = 500;
    for (var start = 0; start <= max; start += batch) {
      var tries = [];
      for (var n = start; n < Math.min(start + batch, max + 1); n++) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(tries);
      for (var i = 0; i < digests.length; i++) {
        if (hex(digests[i]) === challenge.challenge) return start + i;
      }
    }
    return null;
  }

  document.querySelectorAll("input[data-altcha-challenge]").forEach(function (input) {
    var form = input.form;
    var status = document.getElementById(input.dataset.altchaStatus);
    var challenge = JSON.parse(input.dataset.altchaChallenge);
    var sendWhenDone = false;

    function failed() {
      status.textContent = input.dataset.altchaFailed;
    }

    if (!window.crypto || !crypto.subtle || !window.TextEncoder) {
      failed();
      return;
    }
    solve(challenge).then(function (number) {
      if (number === null) {
        failed();
        return;
      }
      input.value = btoa(
        JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        })
      );
      if (sendWhenDone) {
        status.textContent = "";
        form.submit();
      }
    }, failed);

    form.addEventListener("submit", function (event) {
      if (input.value) return;
      event.preventDefault();
      sendWhenDone = true;
      status.textContent = input.dataset.altchaWorking;
    });
  });
})();
