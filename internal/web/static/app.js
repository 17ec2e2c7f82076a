// caredesk staff UI: small progressive enhancements. Every page works
// without this file; it only makes times local and saves a few clicks.
(function () {
  "use strict";

  var absolute = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short"
  });
  var relative = typeof Intl.RelativeTimeFormat === "function" ?
    new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;

  // <time datetime data-local>: show the instant in the viewer's time zone,
  // keeping the server's UTC text as the tooltip.
  function localTimes(root) {
    root.querySelectorAll("time[datetime][data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) { return; }
      if (!el.title) { el.title = el.textContent.trim(); }
      el.textContent = absolute.format(d);
    });
  }

  function describe(ms) {
    var s = Math.round(ms / 1000);
    var abs = Math.abs(s);
    if (abs < 60) { return relative.format(0, "second"); }
    if (abs < 3600) { return relative.format(Math.round(s / 60), "minute"); }
    if (abs < 48 * 3600) { return relative.format(Math.round(s / 3600), "hour"); }
    if (abs < 60 * 86400) { return relative.format(Math.round(s / 86400), "day"); }
    return relative.format(Math.round(s / (30 * 86400)), "month");
  }

  // <time datetime data-relative>: "3 hours ago", kept current. Deadline
  // countdowns will reuse this tick.
  function relativeTimes(root) {
    if (!relative) { return; }
    var now = Date.now();
    root.querySelectorAll("time[datetime][data-relative]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) { return; }
      el.textContent = describe(d.getTime() - now);
    });
  }

  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    if (d > 0) { return d + " d " + h + " h"; }
    if (h > 0) { return h + " h " + (m % 60) + " min"; }
    // In the last hour the seconds count too: the agent watches it run out.
    return (m % 60) + " min " + (Math.floor(Math.abs(ms) / 1000) % 60) + " s";
  }

  // <time datetime data-countdown [data-warn-minutes]>: the time left to a
  // deadline, or how long it is overdue. data-state ("ok", "soon",
  // "overdue") lets the stylesheet colour it; the words carry the meaning.
  function countdowns(root) {
    var now = Date.now();
    root.querySelectorAll("time[datetime][data-countdown]").forEach(function (el) {
      var due = new Date(el.getAttribute("datetime")).getTime();
      if (isNaN(due)) { return; }
      var left = due - now;
      var warn = parseInt(el.getAttribute("data-warn-minutes") || "240", 10) * 60000;
      el.setAttribute("data-state", left < 0 ? "overdue" : left < warn ? "soon" : "ok");
      el.textContent = left < 0 ? "overdue by " + span(left) : span(left) + " left";
    });
  }

  // Rows of a list with data-href open on click, like their first link.
  function rowLinks(root) {
    root.addEventListener("click", function (ev) {
      var row = ev.target.closest("tr[data-href]");
      if (!row || ev.target.closest("a, button, input, select, textarea, label")) { return; }
      if (window.getSelection && String(window.getSelection()).length > 0) { return; }
      if (ev.ctrlKey || ev.metaKey) {
        window.open(row.getAttribute("data-href"), "_blank", "noopener");
      } else {
        window.location.assign(row.getAttribute("data-href"));
      }
    });
  }

  // Forms with data-once disable their submit button while posting, so a
  // double click does not log a contact twice.
  function submitOnce(root) {
    root.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!form.hasAttribute("data-once")) { return; }
      if (form.dataset.sending) { ev.preventDefault(); return; }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.setAttribute("aria-disabled", "true");
        b.classList.add("is-busy");
      });
    });
  }

  // Keyboard shortcuts. Ctrl+Enter (Cmd+Enter) in a text area with
  // data-submit-shortcut sends its form. Outside text fields: "/" jumps to
  // search, "?" lists every shortcut, and any element with data-key="K"
  // (or a two-key sequence such as "g q") answers to it: links are
  // followed, fields and buttons get the focus (a button then waits for
  // Enter, so a stray key never changes a case). In a list, j and k move
  // between rows and Enter or o opens the current one.
  function typing(t) {
    return t.closest && t.closest("input, textarea, select, [contenteditable]");
  }

  // The character of a key that moved the focus into a text field must not
  // land in it: a keypress may still follow the prevented keydown (some
  // input methods and automation send it separately).
  var swallow = "";
  document.addEventListener("keypress", function (ev) {
    if (swallow && ev.key === swallow) { ev.preventDefault(); }
    swallow = "";
  }, true);
  document.addEventListener("beforeinput", function (ev) {
    if (swallow && ev.data === swallow) { ev.preventDefault(); }
    swallow = "";
  }, true);

  function act(el, key) {
    if (el.tagName === "A") { window.location.assign(el.getAttribute("href")); return; }
    swallow = key;
    setTimeout(function () { swallow = ""; }, 100);
    var d = el.closest("details");
    if (d) { d.open = true; }
    el.scrollIntoView({ block: "center" });
    el.focus();
  }

  function moveRow(doc, step) {
    var rows = Array.prototype.slice.call(doc.querySelectorAll("tr[data-href]"));
    if (!rows.length) { return false; }
    var cur = doc.querySelector("tr[data-href].is-current");
    var i = rows.indexOf(cur) + step;
    if (cur === null) { i = step > 0 ? 0 : rows.length - 1; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (cur) { cur.classList.remove("is-current"); }
    rows[i].classList.add("is-current");
    var link = rows[i].querySelector("a[href]");
    if (link) { link.focus(); }
    return true;
  }

  function shortcuts(doc) {
    var pending = "", pendingAt = 0;
    doc.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && t.matches && t.matches("textarea[data-submit-shortcut]")) {
        ev.preventDefault();
        if (t.form.requestSubmit) { t.form.requestSubmit(); } else { t.form.submit(); }
        return;
      }
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(t) || ev.key.length !== 1 && ev.key !== "Enter") { return; }
      var help = doc.getElementById("shortcuts");
      if (help && help.open) { return; }
      if (ev.key === "/") {
        var search = doc.querySelector("[data-shortcut='/']");
        if (search) { ev.preventDefault(); act(search, "/"); search.select(); }
        return;
      }
      if (ev.key === "?") {
        if (help && help.showModal) { ev.preventDefault(); help.showModal(); }
        return;
      }
      if ((ev.key === "j" || ev.key === "k") && moveRow(doc, ev.key === "j" ? 1 : -1)) { ev.preventDefault(); return; }
      if (ev.key === "o" || ev.key === "Enter") {
        var row = doc.querySelector("tr[data-href].is-current");
        if (row && (ev.key === "o" || !t.closest("a, button"))) { ev.preventDefault(); window.location.assign(row.getAttribute("data-href")); }
        return;
      }
      var now = Date.now();
      var seq = (pending && now - pendingAt < 1500) ? pending + " " + ev.key : ev.key;
      pending = "";
      var el = doc.querySelector("[data-key='" + seq + "']");
      if (el) { ev.preventDefault(); act(el, ev.key); return; }
      if (doc.querySelector("[data-key^='" + seq + " ']")) { pending = seq; pendingAt = now; ev.preventDefault(); }
    });
    doc.querySelectorAll("[data-close-dialog]").forEach(function (b) {
      b.addEventListener("click", function () { b.closest("dialog").close(); });
    });
  }

  // After a failed post, put the keyboard on the first field in error.
  function focusFirstError(doc) {
    var bad = doc.querySelector("[aria-invalid=true]");
    if (bad) { bad.focus(); }
  }

  // A page with data-refresh="SECONDS" (the queues, the supervisor view)
  // reloads itself that often so new and reassigned cases appear, but only
  // while it is visible and the user is not in the middle of something: no
  // field has the focus, no box is ticked, no dialog is open.
  function autoRefresh(doc) {
    var el = doc.querySelector("[data-refresh]");
    if (!el) { return; }
    var every = parseInt(el.getAttribute("data-refresh"), 10) * 1000;
    if (!(every >= 15000)) { return; }
    var last = Date.now();
    doc.addEventListener("keydown", function () { last = Date.now(); });
    doc.addEventListener("pointerdown", function () { last = Date.now(); });
    setInterval(function () {
      var busy = doc.visibilityState !== "visible" || Date.now() - last < every ||
        (doc.activeElement && typing(doc.activeElement)) ||
        doc.querySelector("input[name=case]:checked, dialog[open], tr[data-href].is-current");
      if (!busy) { window.location.reload(); }
    }, 5000);
  }

  function init() {
    localTimes(document);
    relativeTimes(document);
    countdowns(document);
    setInterval(function () { relativeTimes(document); }, 30000);
    setInterval(function () { countdowns(document); }, 1000);
    rowLinks(document);
    submitOnce(document);
    shortcuts(document);
    focusFirstError(document);
    autoRefresh(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
