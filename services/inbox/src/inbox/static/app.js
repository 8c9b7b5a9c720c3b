/* Civic Inbox web app: live updates (server-sent events), keyboard navigation, reveal-abuse, forms that
   post without leaving the page, canned responses and pre-send hints. No inline script anywhere: the
   Content-Security-Policy forbids it. Citizen text is never inserted as HTML here; fragments come from the
   server already escaped and are parsed with DOMParser (which runs no script). */
(function () {
  "use strict";

  var body = document.body;
  var csrf = body.getAttribute("data-csrf") || "";
  var revealed = new Set();

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* ---- Announcements for screen readers (batched, so a busy inbox does not flood them) ---- */
  var pending = [], announceTimer = null;
  function announce(text) {
    pending.push(text);
    if (announceTimer) return;
    announceTimer = setTimeout(function () {
      var region = $("#announcer");
      if (region) {
        region.textContent = pending.length > 3 ? pending.length + " updates: " + pending.slice(-2).join(". ") : pending.join(". ");
      }
      pending = []; announceTimer = null;
    }, 1500);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* ---- Abusive text: blurred until the person chooses to read it ---- */
  function setRevealed(button, open) {
    var target = document.getElementById(button.getAttribute("data-reveal"));
    if (!target) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide message again" : "Show message";
    target.classList.toggle("blurred", !open);
    if (open) { target.removeAttribute("aria-hidden"); target.removeAttribute("inert"); revealed.add(target.id); }
    else { target.setAttribute("aria-hidden", "true"); target.setAttribute("inert", ""); revealed.delete(target.id); }
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-reveal]");
    if (button) setRevealed(button, button.getAttribute("aria-expanded") !== "true");
  });
  function restoreRevealed(root) {
    $all("[data-reveal]", root).forEach(function (b) { if (revealed.has(b.getAttribute("data-reveal"))) setRevealed(b, true); });
  }

  /* ---- Inbox list: j/k or arrows move, Enter opens (only while focus is in the list) ---- */
  var list = $("#conversation-list");
  function rowLinks() { return $all(".row-link", list); }
  if (list) {
    list.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var links = rowLinks(), i = links.indexOf(document.activeElement), next = null;
      if (e.key === "j" || e.key === "ArrowDown") next = links[Math.min(i + 1, links.length - 1)];
      else if (e.key === "k" || e.key === "ArrowUp") next = links[Math.max(i - 1, 0)];
      else if (e.key === "Home") next = links[0];
      else if (e.key === "End") next = links[links.length - 1];
      if (next) { e.preventDefault(); next.focus(); }
    });
  }

  /* ---- "Not a request": select every row of the page for "no reply needed" ---- */
  var selectAll = $("[data-select-all]");
  if (selectAll && list) {
    selectAll.closest("label").hidden = false;
    selectAll.addEventListener("change", function () {
      var formId = selectAll.getAttribute("data-select-all");
      $all("input[type=checkbox][form='" + formId + "']", list).forEach(function (box) { box.checked = selectAll.checked; });
    });
  }

  /* Texts the script writes, in the page's language (the page carries them as data-t-* attributes). */
  function say(name, english) { return document.body.getAttribute("data-t-" + name) || english; }

  /* ---- Fetch helpers ---- */
  function signedOut() { window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search)); }
  function getHTML(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (r) {
      if (r.status === 401) { signedOut(); throw new Error("signed out"); }
      return r;
    });
  }

  /* ---- Inbox rows, kept current by live events ---- */
  function updateRow(key, summary) {
    if (!list) return;
    var params = list.getAttribute("data-list-params") || "?";
    var url = "/inbox/row" + params + (params.length > 1 ? "&" : "") + "key=" + encodeURIComponent(key);
    function rowOf() { return $all("li.row", list).filter(function (li) { return li.getAttribute("data-key") === key; })[0]; }
    getHTML(url).then(function (r) {
      var existing = rowOf();
      if (r.status === 204) {
        if (existing && !existing.classList.contains("row-stale")) {
          existing.classList.add("row-stale");
          var note = document.createElement("span");
          note.className = "badge badge-stale"; note.textContent = say("stale", "No longer in this view");
          var tags = $(".row-tags", existing); if (tags) tags.appendChild(note);
        }
        return null;
      }
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("li.row");
        if (!fresh) return;
        fresh = document.importNode(fresh, true);
        existing = rowOf();  /* looked up again: another event's answer for this key may have added the row meanwhile */
        if (existing) {
          var hadFocus = existing.contains(document.activeElement);
          existing.replaceWith(fresh);
          if (hadFocus) $(".row-link", fresh).focus();
        } else if (list.getAttribute("data-page") === "1") {
          fresh.classList.add("row-new");
          list.insertBefore(fresh, list.firstChild);
          announce(say("new", "New conversation") + ": " + (summary || ""));
        }
      });
    }).catch(function () {});
  }

  /* ---- Conversation page parts, kept current by live events ---- */
  var conversation = $("#conversation");
  var refreshTimer = null;
  var actedUntil = {};  /* panels whose form this person just used: refreshed even while focus is in them */
  function isDirty(el) {
    return $all("input, textarea, select", el).some(function (f) {
      if (f.type === "hidden") return false;
      if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
      if (f.tagName === "SELECT") return $all("option", f).some(function (o) { return o.selected !== o.defaultSelected; });
      return f.value !== f.defaultValue;
    });
  }
  function refreshParts() {
    if (!conversation) return;
    getHTML(conversation.getAttribute("data-page-url")).then(function (r) {
      if (!r.ok) return null;
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        $all("[data-live-part]", doc).forEach(function (fresh) {
          var current = document.getElementById(fresh.id);
          if (!current || current.innerHTML === fresh.innerHTML) return;
          var acted = (actedUntil[current.id] || 0) > Date.now();
          if (!acted && current.getAttribute("data-live-part") === "guarded" && (current.contains(document.activeElement) || isDirty(current))) return;
          var hadFocus = current.contains(document.activeElement);
          var focusedId = hadFocus && document.activeElement.id;
          var node = document.importNode(fresh, true);
          current.replaceWith(node);
          restoreRevealed(node);
          enhanceForms(node);
          if (hadFocus) focusAfterSwap(node, focusedId);
        });
      });
    }).catch(function () {});
  }
  function focusAfterSwap(node, focusedId) {
    var target = (focusedId && document.getElementById(focusedId)) || node.querySelector("button, [href], input, select, textarea");
    if (!target) {
      target = node.querySelector("h2") || $("#conv-status");
      if (target) target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus();
  }
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshParts, 250);
  }

  /* ---- Live events ---- */
  function connect() {
    if (!body.hasAttribute("data-live-after") || !window.EventSource) return;
    var indicator = $("#live-indicator");
    var source = new EventSource("/live/events?after=" + encodeURIComponent(body.getAttribute("data-live-after")));
    source.addEventListener("open", function () {
      if (indicator) { indicator.hidden = false; indicator.classList.remove("offline"); $(".text", indicator).textContent = say("live", "Live"); }
    });
    source.addEventListener("error", function () {
      if (indicator) { indicator.classList.add("offline"); $(".text", indicator).textContent = say("reconnecting", "Reconnecting"); }
    });
    source.addEventListener("signed-out", function () { source.close(); signedOut(); });
    source.addEventListener("conversation", function (e) {
      var event;
      try { event = JSON.parse(e.data); } catch (err) { return; }
      if (event.seq) body.setAttribute("data-live-after", event.seq);
      var key = event.conversation_key;
      if (!key) return;
      if (list) updateRow(key, event.summary);
      if (conversation && conversation.getAttribute("data-key") === key) {
        scheduleRefresh();
        if (event.type !== "replying") announce(event.summary);
      }
      var lists = $all("[data-follow-keys]");
      if (lists.length) announce(event.summary);
    });
  }

  /* ---- Forms that post without leaving the page ---- */
  function showResult(form, ok, message) {
    var box = $("#form-result") || form.parentNode;
    var p = document.createElement("p");
    p.className = "notice " + (ok ? "notice-success" : "notice-error");
    p.setAttribute("role", ok ? "status" : "alert");
    p.textContent = message;
    if (box.id === "form-result") { box.innerHTML = ""; box.appendChild(p); }
    var local = form.querySelector(".form-message");
    if (!local) { local = document.createElement("p"); local.className = "form-message"; form.appendChild(local); }
    local.textContent = message;
    local.className = "form-message " + (ok ? "ok" : "error");
  }
  function enhanceForms(root) {
    $all("form[data-enhance]", root).forEach(function (form) {
      if (form.__enhanced) return;
      form.__enhanced = true;
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("[type=submit]");
        if (button) button.disabled = true;
        fetch(form.action, {
          method: "POST", credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(new FormData(form)).toString()
        }).then(function (r) {
          if (r.status === 401) { signedOut(); return null; }
          return r.json().then(function (data) {
            showResult(form, r.ok, data.message || (r.ok ? "Done." : "That did not work."));
            if (r.ok) {
              var key = form.querySelector("[name=idempotency_key]");
              if (key) key.value = newKey();
              if (form.hasAttribute("data-reset")) { form.reset(); updatePrecheck(); }
              var part = form.closest("[data-live-part]");
              if (part && part.id) actedUntil[part.id] = Date.now() + 30000;
              scheduleRefresh();
            }
          });
        }).catch(function () {
          showResult(form, false, "Civic Inbox could not be reached. Check your connection and try again.");
        }).then(function () { if (button) button.disabled = false; });
      });
    });
  }

  /* ---- Reply box: canned responses, pre-send hints, "someone is replying" ---- */
  var PII = [["an email address", /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/],
             ["a phone number", /(?:\+44\s?\(?0?\)?\s?|\b0)(?:\d[\s-]?){9,10}\b/],
             ["a postcode", /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i]];
  var replyForm = $("#reply-form"), replyText = $("#reply-text");
  function updatePrecheck() {
    var out = $("#precheck-live");
    if (!out || !replyText) return;
    var text = replyText.value, items = [];
    var visibility = replyForm && replyForm.querySelector("[name=visibility]:checked");
    var isPublic = replyForm && replyForm.getAttribute("data-public") === "true" && (!visibility || visibility.value === "public");
    if (isPublic) PII.forEach(function (p) { if (p[1].test(text)) items.push("This looks like " + p[0] + ": a public reply with personal data is held back. Reply privately instead."); });
    if (/!{2,}/.test(text)) items.push("More than one exclamation mark reads as shouting.");
    var letters = text.replace(/[^A-Za-z]/g, "");
    if (letters.length > 20 && letters.replace(/[^A-Z]/g, "").length / letters.length > 0.6) items.push("Mostly capital letters reads as shouting.");
    var key = items.join("|");
    if (out.getAttribute("data-shown") === key) return;
    out.setAttribute("data-shown", key);
    out.innerHTML = "";
    items.forEach(function (t) { var li = document.createElement("li"); li.textContent = t; out.appendChild(li); });
  }
  var lastReplying = 0;
  if (replyText && replyForm) {
    replyText.addEventListener("input", function () {
      updatePrecheck();
      var now = Date.now();
      if (now - lastReplying > 120000 && replyText.value.length > 0) {
        lastReplying = now;
        var action = replyForm.action.replace(/\/reply$/, "/replying");
        fetch(action, { method: "POST", credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf_token: csrf, active: "true", idempotency_key: newKey() }).toString() }).catch(function () {});
      }
    });
    $all("[name=visibility]", replyForm).forEach(function (r) { r.addEventListener("change", updatePrecheck); });
  }
  var insert = $("#insert-canned");
  if (insert && replyForm) {
    insert.addEventListener("click", function () {
      var select = $("#canned"), option = select && select.options[select.selectedIndex];
      if (!option || !option.value) { select.focus(); return; }
      var lang = insert.getAttribute("data-language") || "en";
      var text = option.getAttribute("data-text-" + lang) || option.getAttribute("data-text-en") || "";
      text = text.replace(/\{([a-z_]+)\}/g, function (m, name) { return replyForm.getAttribute("data-fill-" + name) || m; });
      replyText.value = replyText.value ? replyText.value + "\n" + text : text;
      select.value = "";
      replyText.focus();
      updatePrecheck();
    });
  }

  /* ---- Start ---- */
  var summary = $("#error-summary");
  if (summary) summary.focus();
  enhanceForms(document);
  connect();
})();
