// Rapport's own small script: record pickers, select-all checkboxes, confirmations. No inline JS (CSP).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-pick-id]");
    if (pick) {
      var picker = pick.closest(".picker");
      picker.querySelector("input[type=hidden]").value = pick.dataset.pickId;
      picker.querySelector("input[type=search]").value = pick.dataset.pickLabel;
      picker.querySelector(".picker-results").innerHTML = "";
      event.preventDefault();
      return;
    }
    var clear = event.target.closest("[data-pick-clear]");
    if (clear) {
      var box = clear.closest(".picker");
      box.querySelector("input[type=hidden]").value = "";
      box.querySelector("input[type=search]").value = "";
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (all) {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
