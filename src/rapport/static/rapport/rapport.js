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

// Export menu and "Copy": the visible table's rows as tab-separated text that pastes into Excel.
(function () {
  "use strict";

  // The same rule as the server's exports (core/writers.py): text a spreadsheet would run as a
  // formula gets a leading apostrophe.
  function neutralise(text) {
    return /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
  }

  function tableText(table) {
    var lines = [];
    var rows = 0;
    table.querySelectorAll("tr").forEach(function (row) {
      var cells = [];
      row.querySelectorAll("th, td").forEach(function (cell) {
        if (cell.querySelector("input[type=checkbox]")) {
          return; // the selection column
        }
        var text = cell.textContent.replace(/\s+/g, " ").trim();
        cells.push(neutralise(text === "—" ? "" : text));
      });
      if (cells.length && !row.querySelector("td[colspan]")) {
        lines.push(cells.join("\t"));
        if (row.querySelector("td")) {
          rows += 1;
        }
      }
    });
    return { text: lines.join("\r\n") + "\r\n", rows: rows };
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-table]");
    if (button) {
      var table = document.querySelector(button.dataset.copyTable);
      var status = button.parentElement.querySelector(".copy-status");
      if (!table) {
        return;
      }
      var copied = tableText(table);
      copyText(copied.text).then(function () {
        if (status) {
          status.textContent = button.dataset.copied + " " + copied.rows;
        }
      }, function () {
        if (status) {
          status.textContent = button.dataset.copyFailed;
        }
      });
      return;
    }
    // A menu closes when something else is clicked, or one of its links.
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target) || event.target.closest("a")) {
        menu.removeAttribute("open");
      }
    });
  });
})();

// Global search: "/" focuses the box in the top bar; arrow keys and Enter walk the suggestions htmx loads.
(function () {
  "use strict";

  function searchBox() {
    return document.getElementById("global-search");
  }

  function suggestionList() {
    return document.getElementById("search-suggest");
  }

  function options() {
    var list = suggestionList();
    return list ? Array.prototype.slice.call(list.querySelectorAll("[role=option]")) : [];
  }

  function chosenIndex(all) {
    for (var index = 0; index < all.length; index += 1) {
      if (all[index].getAttribute("aria-selected") === "true") {
        return index;
      }
    }
    return -1;
  }

  function choose(all, chosen) {
    var box = searchBox();
    all.forEach(function (option, index) {
      option.setAttribute("aria-selected", index === chosen ? "true" : "false");
    });
    box.setAttribute("aria-activedescendant", all[chosen].id);
    all[chosen].scrollIntoView({ block: "nearest" });
  }

  function close() {
    var list = suggestionList();
    var box = searchBox();
    if (list) {
      list.innerHTML = "";
    }
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
  }

  function isTyping(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    var box = searchBox();
    if (!box) {
      return;
    }
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (event.target !== box) {
      return;
    }
    var all = options();
    var current = chosenIndex(all);
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && all.length) {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      choose(all, next);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault(); // open the chosen record instead of the results page
      window.location.assign(all[current].href);
    } else if (event.key === "Escape" && all.length) {
      event.preventDefault();
      close();
    }
  });

  // New suggestions arrived: none is chosen yet, and the box says whether the list is open.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = suggestionList();
    if (list && event.target === list) {
      var box = searchBox();
      box.setAttribute("aria-expanded", list.children.length ? "true" : "false");
      box.removeAttribute("aria-activedescendant");
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".topsearch")) {
      close();
    }
  });

  // The box's own clear button empties it: nothing left to suggest.
  document.addEventListener("search", function (event) {
    if (event.target === searchBox() && !event.target.value) {
      close();
    }
  }, true);
  // A part of the page failed to load because of the server (e.g. the database is restarting): say so,
  // in the server's words when it sent some, rather than leaving the page as it was without a word.
  document.addEventListener("htmx:responseError", function (event) {
    var request = event.detail.xhr;
    if (request.status < 500) {
      return;
    }
    var text = document.body.dataset.serverError;
    try {
      text = JSON.parse(request.responseText).error.message || text;
    } catch (notJson) { /* keep the general message */ }
    var list = document.querySelector("main .messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "status");
      document.querySelector("main").prepend(list);
    }
    var item = document.createElement("li");
    item.className = "message error";
    item.textContent = text;
    list.replaceChildren(item);
  });
})();
