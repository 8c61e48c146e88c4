/* Editor tools for the admin's change forms: drafts kept in this browser, size limits checked
   before sending, who else has the record open (a heartbeat to the server), and, for articles
   and claims, a live preview and claim/term/quote pickers.
   Vanilla JavaScript, no build step, no inline script (the admin's CSP allows scripts from 'self'
   only). Every form still works without it; the server stays the judge of what is valid. */
(function () {
  "use strict";

  var DRAFT_PREFIX = "carnk-draft:";
  var PENDING_KEY = "carnk-draft-pending";
  var KEEP_MS = 30 * 24 * 3600 * 1000;
  var SKIPPED = /^(csrfmiddlewaretoken|seen_edit_token|_save|_continue|_addanother|_saveasnew|_preview)$/;
  var slice = Array.prototype.slice;
  // Interface words go through the admin's JavaScript catalogue (loaded on every admin form and list).
  var _ = window.gettext || function (text) { return text; };
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) { return values[name]; });
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function debounce(fn, ms) {
    var timer;
    function later() {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    }
    later.cancel = function () { clearTimeout(timer); };
    return later;
  }

  function number(n) { return n.toLocaleString("en-GB"); }

  function clock(ms) {
    var d = new Date(ms);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var time = pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (new Date().toDateString() === d.toDateString()) return time;
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short" }) + " " + time;
  }

  /* Characters as the server counts them: code points, a line break as one. */
  function length(text) {
    var pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return text.length - (pairs ? pairs.length : 0);
  }

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Ask an editor endpoint; resolve to {ok, status, data}, never reject. */
  function ask(url, form, options) {
    options = options || {};
    var init = { credentials: "same-origin", headers: { "X-CSRFToken": csrf(form), Accept: "application/json" } };
    if (options.body) { init.method = "POST"; init.body = options.body; }
    if (options.signal) init.signal = options.signal;
    return fetch(url, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("json") === -1) {
        return { ok: false, status: response.status, data: { error: _("You may have been signed out: sign in again in another tab. Your text is kept in this browser.") } };
      }
      return response.json().then(function (data) {
        return { ok: response.ok && data.ok !== false, status: response.status, data: data, retryAfter: response.headers.get("Retry-After") };
      });
    }, function (error) {
      if (error && error.name === "AbortError") return { aborted: true };
      return { ok: false, status: 0, data: { error: _("Could not reach the server. Your text is kept in this browser.") } };
    });
  }

  /* Return the milliseconds a Retry-After header (seconds or an HTTP date) asks to wait; 2 s if it says nothing usable. */
  function retryDelay(header) {
    var seconds = Number(header);
    var ms = header && isFinite(seconds) ? seconds * 1000 : Date.parse(header || "") - Date.now();
    return isFinite(ms) && ms >= 0 ? Math.min(ms, 60000) : 2000;
  }

  /* ---------- Drafts: nothing typed is lost ---------- */

  function formState(form) {
    var state = {};
    slice.call(form.elements).forEach(function (field) {
      var name = field.name;
      if (!name || SKIPPED.test(name) || name.indexOf("__prefix__") !== -1) return;
      var type = field.type;
      if (/^(submit|button|reset|file|image)$/.test(type)) return;
      if (type === "hidden" && !/-TOTAL_FORMS$/.test(name)) return;
      if (type === "checkbox") state[name] = field.checked;
      else if (type === "radio") { if (field.checked) state[name] = field.value; }
      else if (field.tagName === "SELECT" && !field.multiple) {
        var chosen = field.options[field.selectedIndex];
        state[name] = { value: field.value, text: chosen ? chosen.text : "" };
      } else if (field.tagName === "SELECT") {
        state[name] = slice.call(field.selectedOptions).map(function (o) { return o.value; });
      } else state[name] = field.value;
    });
    return state;
  }

  function sameValue(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  /* Return the names of the fields whose kept text differs from what the form shows. */
  function differences(draft, current) {
    return Object.keys(draft).filter(function (name) {
      if (/-TOTAL_FORMS$/.test(name)) return Number(draft[name]) > Number(current[name] || 0);
      return name in current ? !sameValue(draft[name], current[name]) : /^[^-]+-\d+-/.test(name);
    });
  }

  function labelFor(form, name) {
    var field = form.elements[name];
    var label = field && field.id && form.querySelector("label[for='" + field.id + "']");
    var row = name.match(/^(.+)-(\d+)-([^-]+)$/);
    var text = label ? label.textContent.replace(/:\s*$/, "").trim() : (row ? row[3] : name).replace(/_/g, " ");
    text = text.charAt(0).toUpperCase() + text.slice(1);
    return row ? fmt(_("%(field)s (row %(row)s)"), { field: text, row: Number(row[2]) + 1 }) : text;
  }

  function readDraft(store, key) {
    try { return JSON.parse(store.getItem(key)); } catch (e) { return null; }
  }

  function draftKeys(store) {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function pruneOldDrafts(store) {
    draftKeys(store).forEach(function (key) {
      var draft = readDraft(store, key);
      if (!draft || Date.now() - draft.saved > KEEP_MS) store.removeItem(key);
    });
  }

  /* The save that was sent last time succeeded when this page shows the admin's success message. */
  function clearDraftAfterSuccess(store) {
    var session = storage("sessionStorage");
    if (!session) return;
    var pending = session.getItem(PENDING_KEY);
    session.removeItem(PENDING_KEY);
    if (pending && document.querySelector(".messagelist .success")) store.removeItem(pending);
  }

  /* `started`: since when this browser has kept unsaved text for the record (others are told). */
  function writeDraft(store, key, state, status, started) {
    var value = JSON.stringify({ saved: Date.now(), started: started || Date.now(), fields: state });
    for (var attempt = 0; attempt < 5; attempt++) {
      try {
        store.setItem(key, value);
        status.textContent = fmt(_("A copy of what you type is kept in this browser until the save succeeds (last kept %(time)s)."), { time: clock(Date.now()) });
        status.classList.remove("draft-status-problem");
        return true;
      } catch (e) {
        var oldest = draftKeys(store).filter(function (k) { return k !== key; }).sort(function (a, b) {
          return (readDraft(store, a) || { saved: 0 }).saved - (readDraft(store, b) || { saved: 0 }).saved;
        })[0];
        if (!oldest) break;
        store.removeItem(oldest);
      }
    }
    status.textContent = _("This browser has no room to keep a copy of this text: save it before closing the page.");
    status.classList.add("draft-status-problem");
    return false;
  }

  function setField(form, name, value) {
    var field = form.elements[name];
    if (!field) return;
    if (field instanceof RadioNodeList) {
      slice.call(field).forEach(function (radio) { radio.checked = radio.value === value; });
      return;
    }
    if (field.type === "checkbox") field.checked = !!value;
    else if (field.tagName === "SELECT" && !field.multiple && value && typeof value === "object") {
      if (value.value && !slice.call(field.options).some(function (o) { return o.value === value.value; })) {
        field.appendChild(new Option(value.text, value.value));
      }
      field.value = value.value;
    } else if (field.tagName === "SELECT" && Array.isArray(value)) {
      slice.call(field.options).forEach(function (o) { o.selected = value.indexOf(o.value) !== -1; });
    } else field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    if (window.django && window.django.jQuery && field.tagName === "SELECT") window.django.jQuery(field).trigger("change");
  }

  function restoreState(form, fields) {
    Object.keys(fields).forEach(function (name) {
      if (!/-TOTAL_FORMS$/.test(name) || !form.elements[name]) return;
      var group = document.getElementById(name.replace(/-TOTAL_FORMS$/, "") + "-group");
      var add = group && group.querySelector(".add-row a");
      for (var n = Number(form.elements[name].value); add && n < Number(fields[name]); n++) add.click();
    });
    Object.keys(fields).forEach(function (name) {
      if (!/-TOTAL_FORMS$/.test(name)) setField(form, name, fields[name]);
    });
  }

  function drafts(form, config, store) {
    var token = form.elements.seen_edit_token ? form.elements.seen_edit_token.value : "";
    var objectPrefix = DRAFT_PREFIX + config.model + ":" + config.object + ":";
    var key = objectPrefix + token;
    var loaded = formState(form);
    var status = el("p", { class: "draft-status help" });
    var submitRow = form.querySelector(".submit-row");
    (submitRow ? submitRow.parentNode : form).insertBefore(status, submitRow);

    var found = readDraft(store, key) ? key : null;
    if (!found) {
      found = draftKeys(store).filter(function (k) { return k.indexOf(objectPrefix) === 0; }).sort(function (a, b) {
        return (readDraft(store, b) || { saved: 0 }).saved - (readDraft(store, a) || { saved: 0 }).saved;
      })[0] || null;
    }
    var draft = found && readDraft(store, found);
    var changed = draft ? differences(draft.fields, formState(form)) : [];
    var labels = changed.filter(function (n) { return !/-TOTAL_FORMS$/.test(n); }).map(function (n) { return labelFor(form, n); });
    if (changed.length) offerRestore(form, draft, labels.length ? labels : [_("new rows")], found !== key, function (restore) {
      if (restore) restoreState(form, draft.fields);
      if (found !== key) store.removeItem(found);
      if (restore) writeDraft(store, key, formState(form), status, draft.started || draft.saved);
      else store.removeItem(key);
    });

    /* Since when a kept draft has differed from the saved record as this page loaded it; null if it does not. */
    function startedOf(kept) {
      return kept && kept.fields && differences(kept.fields, loaded).length ? kept.started || kept.saved : null;
    }
    var dirty = false;
    function flush() {
      if (dirty) writeDraft(store, key, formState(form), status, startedOf(readDraft(store, key)));
      dirty = false;
    }
    var keep = debounce(flush, 300);
    function typed() { dirty = true; keep(); }
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    window.addEventListener("pagehide", flush); // leaving within the pause still keeps the last words
    form.addEventListener("submit", function (event) {
      dirty = true;
      flush();
      if (event.defaultPrevented) return;
      var session = storage("sessionStorage");
      var previewOnly = event.submitter && event.submitter.name === "_preview";
      if (session && !previewOnly) session.setItem(PENDING_KEY, key);
    });

    /* Return since when this browser keeps unsaved text for this record (ms), or null. */
    return function unsavedSince() {
      var since = null;
      try {
        draftKeys(store).forEach(function (k) {
          var at = k.indexOf(objectPrefix) === 0 ? startedOf(readDraft(store, k)) : null;
          if (at && (since === null || at < since)) since = at;
        });
      } catch (e) { return null; }
      return since;
    };
  }

  function offerRestore(form, draft, fields, stale, decide) {
    var at = clock(draft.saved);
    var message = fmt(_("This browser kept what you typed in this form at %(time)s, and it was not saved."), { time: at });
    if (stale) message += " " + _("Someone has saved this record since: restoring puts your text over theirs, so compare before you save.");
    var restore = el("button", { type: "button", class: "button default", text: fmt(_("Restore what you typed at %(time)s"), { time: at }) });
    var discard = el("button", { type: "button", class: "button", text: _("Discard") });
    var banner = el("div", { class: "draft-banner", role: "alert" }, [
      el("p", { text: message }),
      el("p", { class: "draft-fields", text: fmt(_("Fields that differ from what the form shows now: %(fields)s."), { fields: fields.join(", ") }) }),
      el("div", { class: "draft-actions" }, [restore, discard])
    ]);
    form.insertBefore(banner, form.firstElementChild && form.firstElementChild.nextSibling);
    function done(choice) {
      decide(choice);
      banner.setAttribute("role", "status");
      banner.replaceChildren(el("p", { text: choice ? fmt(_("Restored what you typed at %(time)s. Check it, then save."), { time: at }) : _("Discarded the text kept in this browser.") }));
      if (!choice) setTimeout(function () { banner.remove(); }, 4000);
    }
    restore.addEventListener("click", function () { done(true); });
    discard.addEventListener("click", function () { done(false); });
  }

  /* ---------- Who else has this record open: a heartbeat while the form is open ---------- */

  /* Tell the server this form is still open, and whether unsaved text is kept here; show who else has it open.
     The notice is rendered by the server (editorial/presence_notice.html) in the page and in each answer. */
  function presence(form, config, unsavedSince) {
    var notice = document.getElementById("presence-notice");
    if (!config.presenceUrl || !notice) return;
    var every = Math.max(Number(config.presenceEvery) || 30, 1) * 1000;
    var shown = notice.innerHTML.trim();
    var reported = false;

    function localTimes() { // the server writes its own time zone; an editor reads their own clock
      slice.call(notice.querySelectorAll("time[datetime]")).forEach(function (time) {
        var at = Date.parse(time.getAttribute("datetime"));
        if (!isNaN(at)) time.textContent = clock(at);
      });
    }
    function message(left) {
      var data = new FormData();
      data.append("view", config.presenceView || "");
      var since = unsavedSince();
      if (since) data.append("unsaved_since", String(since));
      if (left) data.append("left", "1");
      return data;
    }
    function beat() {
      var data = message(false);
      reported = data.has("unsaved_since");
      ask(config.presenceUrl, form, { body: data }).then(function (answer) {
        if (answer.status === 403 || answer.status === 404) clearInterval(timer); // no longer theirs to edit, or deleted
        if (!answer.ok || typeof answer.data.html !== "string" || answer.data.html === shown) return;
        shown = answer.data.html;
        notice.innerHTML = shown; // escaped by the server's template
        notice.hidden = !shown;
        localTimes();
      });
    }
    localTimes();
    if (unsavedSince() !== null) beat(); // opening the page told the server "nothing unsaved"
    var timer = setInterval(beat, every);
    var changed = debounce(function () { if ((unsavedSince() !== null) !== reported) beat(); }, 1000);
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("pagehide", function () {
      if (!navigator.sendBeacon) return;
      var data = message(true);
      data.append("csrfmiddlewaretoken", csrf(form));
      navigator.sendBeacon(config.presenceUrl, data);
    });
    window.addEventListener("pageshow", function (event) { if (event.persisted) beat(); });
  }

  /* ---------- Size limits, checked before anything is sent ---------- */

  /* Put a note under a field, below the admin's label-and-input row, not squeezed beside it. */
  function afterField(field, note) {
    var row = field.closest(".flex-container") || field;
    var next = row.nextElementSibling;
    if (next && next.classList.contains("char-count")) row = next;
    row.insertAdjacentElement("afterend", note);
  }

  function sizeLimits(form, config) {
    var limited = slice.call(form.querySelectorAll("[data-max-length]")).filter(function (f) { return f.name.indexOf("__prefix__") === -1; });
    function counter(field) {
      if (field._counter) return field._counter;
      var note = el("p", { class: "char-count help", id: field.id + "_count" });
      afterField(field, note);
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + note.id).trim());
      field._counter = note;
      return note;
    }
    function update(field) {
      var most = Number(field.dataset.maxLength);
      var found = length(field.value);
      var note = counter(field);
      var over = found > most;
      note.textContent = over
        ? fmt(_("%(found)s of %(most)s characters: %(over)s over the limit"), { found: number(found), most: number(most), over: number(found - most) })
        : fmt(_("%(found)s of %(most)s characters"), { found: number(found), most: number(most) });
      note.classList.toggle("over", over);
      if (over) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
      return over;
    }
    limited.forEach(function (field) {
      update(field);
      field.addEventListener("input", debounce(function () { update(field); }, 150));
    });
    var alertBox = el("div", { class: "errornote size-alert", role: "alert", tabindex: "-1" });
    form.addEventListener("submit", function (event) {
      var problems = [];
      var first = null;
      limited.forEach(function (field) {
        if (!document.body.contains(field) || !update(field)) return;
        var label = form.querySelector("label[for='" + field.id + "']");
        problems.push(fmt(_("“%(field)s” is %(found)s characters long; the limit is %(most)s."), {
          field: label ? label.textContent.replace(/:$/, "") : field.name, found: number(length(field.value)), most: number(Number(field.dataset.maxLength))
        }));
        first = first || field;
      });
      var most = Number(config.uploadMax || 0);
      if (!problems.length && most) {
        var size = new URLSearchParams(new FormData(form)).toString().length;
        if (size > most) problems.push(fmt(_("The form is %(size)s bytes when sent; the server accepts %(most)s."), { size: number(size), most: number(most) }));
      }
      if (!problems.length) { alertBox.remove(); return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      alertBox.textContent = fmt(_("Not sent: %(problems)s Shorten the text, then save again. What you typed is still here and kept in this browser."), { problems: problems.join(" ") });
      form.insertBefore(alertBox, form.firstElementChild && form.firstElementChild.nextSibling);
      (first || alertBox).focus();
    }, true);
  }

  /* ---------- Writing: live preview and claim/term pickers (articles) ---------- */

  function scopedSiteCss(text) {
    // The reader's stylesheet styles :root and body; inside the preview's shadow root the host plays both.
    return ":host { all: initial; display: block; }\n" +
      text.replace(/(^|[{},;\s])(?::root|html|body)(?=\s*[,{])/g, "$1:host");
  }

  function writingTools(form, config, toolbar) {
    var body = form.elements.body;
    var keyPoints = form.elements.key_points;
    if (!body || !config.previewUrl) return;

    var host = el("div", { class: "reader-preview", "aria-label": _("Live preview as readers will see it"), role: "region", tabindex: "0" });
    var shadow = host.attachShadow({ mode: "open" });
    var page = el("article", { class: "wrap" });
    shadow.appendChild(page);
    fetch(config.siteCss, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (css) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(scopedSiteCss(css));
      shadow.adoptedStyleSheets = [sheet];
    }, function () {});

    // Progress is shown, not announced (it changes at every pause in typing); problems are announced once.
    var state = el("p", { class: "preview-state help" });
    var live = el("p", { class: "editor-live", "aria-live": "polite" });
    var said = "";
    function problem(text) {
      state.textContent = text;
      state.classList.toggle("preview-problem", !!text);
      host.classList.toggle("stale", !!text);
      if (text !== said) live.textContent = said = text;
    }
    var pane = el("div", { class: "editor-preview" }, [
      el("h3", { class: "editor-preview-heading", text: _("Live preview") }), state, live, host
    ]);
    var write = el("div", { class: "editor-write" });
    var split = el("div", { class: "editor-split" }, [write, pane]);
    body.parentNode.insertBefore(split, body);
    write.appendChild(toolbar(body));
    write.appendChild(body);
    body.classList.add("editor-textarea");
    if (keyPoints) {
      keyPoints.parentNode.insertBefore(toolbar(keyPoints), keyPoints);
      keyPoints.classList.add("editor-textarea-short");
    }

    var controller = null;
    var asked = 0;
    var notBefore = 0; // a 429's Retry-After: nothing is asked before this time
    var waiting = null;
    function show(data) {
      var title = form.elements.title ? form.elements.title.value : "";
      var summary = form.elements.summary ? form.elements.summary.value : "";
      var parts = [el("h1", { text: title || _("(No title yet)") })];
      if (summary) parts.push(el("p", { class: "summary", text: summary }));
      parts.push(el("p", { class: "meta", text: fmt(_("%(minutes)s min read"), { minutes: data.reading_minutes }) }));
      if (data.key_points_html) {
        var box = el("section", { class: "key-points" }, [el("h2", { text: _("Key points") })]);
        box.insertAdjacentHTML("beforeend", data.key_points_html); // sanitised by the site's renderer
        parts.push(box);
      }
      var article = el("div", { class: "article-body" });
      article.innerHTML = data.body_html; // sanitised by the site's renderer
      parts.push(article);
      page.replaceChildren.apply(page, parts);
    }
    function refresh() {
      if (controller) controller.abort();
      var over = [body, keyPoints].filter(function (f) { return f && f.dataset.maxLength && length(f.value) > Number(f.dataset.maxLength); });
      if (over.length) {
        problem(_("Preview paused: the text is over its size limit (see the count under the field)."));
        return;
      }
      var wait = notBefore - Date.now();
      if (wait > 0) {
        // The server asked us to wait: one ask when the time is up, with whatever the text is then.
        state.textContent = _("Waiting for a free moment…");
        if (!waiting) waiting = window.setTimeout(function () { waiting = null; refresh(); }, wait);
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var mine = ++asked;
      var data = new FormData();
      data.append("body", body.value);
      data.append("key_points", keyPoints ? keyPoints.value : "");
      state.textContent = _("Updating…");
      ask(config.previewUrl, form, { body: data, signal: controller && controller.signal }).then(function (answer) {
        if (answer.aborted || mine !== asked) return;
        if (answer.ok) {
          show(answer.data);
          problem("");
          state.textContent = _("Up to date.");
        } else if (answer.status === 429) {
          // Other editors' previews are running: ask again once the server's Retry-After has passed.
          notBefore = Date.now() + retryDelay(answer.retryAfter);
          refresh();
        } else {
          problem(fmt(_("Preview not updated: %(reason)s"), { reason: answer.data.error || fmt(_("the server answered %(status)s."), { status: answer.status }) }));
        }
      });
    }
    var later = debounce(refresh, 400);
    ["body", "key_points", "title", "summary"].forEach(function (name) {
      if (form.elements[name]) form.elements[name].addEventListener("input", later);
    });
    body.addEventListener("scroll", function () {
      var range = body.scrollHeight - body.clientHeight;
      if (range > 0) host.scrollTop = (body.scrollTop / range) * (host.scrollHeight - host.clientHeight);
    });
    refresh();

  }

  /* Buttons and shortcuts that link selected words to a claim or a glossary term; return the toolbar maker. */
  function linkTools(form, config) {
    var pickers = {
      claim: picker(form, {
        kind: "claim", url: config.claimSearchUrl, title: _("Link words to a claim"),
        search: _("Search claims by statement or id"),
        describe: function (r) { return [["picker-id", r.id], ["picker-label", r.label], ["picker-text", r.statement]]; }
      }),
      term: picker(form, {
        kind: "term", url: config.termSearchUrl, title: _("Link words to a glossary term"),
        search: _("Search terms by name or definition"),
        describe: function (r) { return [["picker-id", r.term + (r.aliases.length ? " (" + r.aliases.join(", ") + ")" : "")], ["picker-text", r.definition]]; }
      })
    };

    function toolbar(textarea) {
      var claim = el("button", { type: "button", class: "button", "aria-keyshortcuts": "Control+K Meta+K", text: _("Link to a claim (Ctrl+K)") });
      var term = el("button", { type: "button", class: "button", "aria-keyshortcuts": "Control+G Meta+G", text: _("Link to a glossary term (Ctrl+G)") });
      claim.addEventListener("click", function () { pickers.claim.open(textarea); });
      term.addEventListener("click", function () { pickers.term.open(textarea); });
      textarea.addEventListener("keydown", function (event) {
        if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
        var key = event.key.toLowerCase();
        if (key === "k" || key === "g") {
          event.preventDefault();
          pickers[key === "k" ? "claim" : "term"].open(textarea);
        }
      });
      return el("div", { class: "editor-toolbar", role: "toolbar", "aria-label": fmt(_("Links for %(field)s"), { field: textarea.name.replace("_", " ") }) }, [
        claim, term, el("span", { class: "help", text: _("Select words first.") })
      ]);
    }
    return toolbar;
  }

  var pickerCount = 0;

  /* A dialog that searches claims or terms and turns the selected words into a link. */
  function picker(form, options) {
    var n = ++pickerCount;
    var input = el("input", {
      type: "search", id: "picker-q-" + n, role: "combobox", "aria-expanded": "true", "aria-autocomplete": "list",
      "aria-controls": "picker-list-" + n, autocomplete: "off", class: "vTextField"
    });
    var list = el("ul", { id: "picker-list-" + n, role: "listbox", class: "picker-list", "aria-label": options.title });
    var note = el("p", { class: "picker-note help", role: "status" });
    var heading = el("h2", { id: "picker-title-" + n, text: options.title });
    var cancel = el("button", { type: "button", class: "button", text: _("Cancel") });
    var dialog = el("dialog", { class: "editor-picker", "aria-labelledby": heading.id }, [
      heading, el("label", { for: input.id, text: options.search }), input, note, list, el("div", { class: "picker-actions" }, [cancel])
    ]);
    document.body.appendChild(dialog);

    var target = null, start = 0, end = 0, results = [], active = -1, asked = 0, shownFor = null;

    function mark(index) {
      active = index;
      slice.call(list.children).forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    /* Ask for what is typed now; resolve to true once its results are shown, false if a newer search overtook it. */
    function search() {
      var mine = ++asked, query = input.value;
      // In the translation admin the pickers show the statements and terms in the translation's language.
      var language = form.elements.language && form.elements.language.value;
      var url = options.url + "?q=" + encodeURIComponent(query) + (language ? "&lang=" + encodeURIComponent(language) : "");
      return ask(url, form).then(function (answer) {
        if (mine !== asked || answer.aborted) return false;
        results = answer.ok ? answer.data.results : [];
        shownFor = query;
        list.replaceChildren.apply(list, results.map(function (r, i) {
          var item = el("li", { role: "option", id: "picker-" + n + "-" + i, "aria-selected": "false", "data-id": r.id });
          options.describe(r).forEach(function (part) { item.appendChild(el("span", { class: part[0], text: part[1] })); });
          item.addEventListener("mousedown", function (event) { event.preventDefault(); });
          item.addEventListener("click", function () { choose(i); });
          return item;
        }));
        note.textContent = answer.ok
          ? (results.length ? fmt(_("%(count)s shown. Arrow keys to move, Enter to choose."), { count: results.length }) : _("Nothing matches. Try fewer or other words."))
          : answer.data.error;
        mark(results.length ? 0 : -1);
        return true;
      });
    }
    var later = debounce(search, 200);
    input.addEventListener("input", later);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) { event.preventDefault(); mark(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp" && results.length) { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") {
        event.preventDefault();
        if (shownFor === input.value) { if (active >= 0) choose(active); return; }
        // The list shown answers older words (typed within the pause, or still on its way): choose from the answer to these.
        later.cancel();
        search().then(function (current) { if (current && dialog.open && active >= 0) choose(active); });
      }
    });
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (!target) return;
      target.focus();
      target = null;
    });

    function choose(index) {
      var chosen = results[index];
      var textarea = target;
      dialog.close();
      var selected = textarea.value.slice(start, end);
      var lead = selected.match(/^\s*/)[0], trail = selected.match(/\s*$/)[0];
      var words = selected.trim() || (options.kind === "term" ? chosen.term : _("words"));
      var link = lead + "[" + words + "](" + options.kind + ":" + chosen.id + ")" + trail;
      textarea.focus();
      textarea.setSelectionRange(start, end);
      var inserted = false;
      try { inserted = document.execCommand("insertText", false, link); } catch (e) { inserted = false; }
      if (!inserted || textarea.value.slice(start, start + link.length) !== link) {
        textarea.setRangeText(link, start, end, "end");
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (!selected.trim()) {
        var at = start + lead.length + 1;
        textarea.setSelectionRange(at, at + words.length);
      }
    }

    return {
      open: function (textarea) {
        target = textarea;
        start = textarea.selectionStart;
        end = textarea.selectionEnd;
        var words = textarea.value.slice(start, end).trim();
        heading.textContent = words ? fmt(_("%(title)s: “%(words)s”"), { title: options.title, words: words.length > 60 ? words.slice(0, 60) + "…" : words }) : options.title;
        input.value = words.slice(0, 100);
        list.replaceChildren();
        results = [];
        shownFor = null;
        mark(-1);
        note.textContent = words ? "" : _("No words selected: the link text will be selected for you to type over.");
        dialog.showModal();
        input.focus();
        input.select();
        search();
      }
    };
  }

  /* ---------- Quote picker (claims): the source's archived text beside each citation ---------- */

  function quotePicker(form, config) {
    if (!config.sourceTextUrl) return;
    function setup(row) {
      if (!row || row.classList.contains("empty-form") || row._quotePicker) return;
      var select = row.querySelector("select[name$='-source']");
      var quote = row.querySelector("textarea[name$='-quote']");
      if (!select || !quote) return;
      row._quotePicker = true;
      var title = el("h4", { text: _("Archived text of the source") });
      var hint = el("p", { class: "help", text: _("Select a passage to use it as the quote (or select it, then press “Use the selected passage”).") });
      var text = el("div", { class: "source-text", tabindex: "0", role: "document", "aria-label": _("Archived text of the chosen source") });
      var use = el("button", { type: "button", class: "button", text: _("Use the selected passage") });
      var panel = el("div", { class: "quote-picker" }, [title, hint, text, use]);
      var verdict = el("p", { class: "quote-verdict", role: "status" });
      afterField(quote, verdict);
      var fieldset = quote.closest("fieldset") || row;
      fieldset.classList.add("has-quote-picker");
      fieldset.appendChild(panel);

      var checked = 0;
      function check() {
        var mine = ++checked;
        if (!select.value || !quote.value.trim()) { verdict.textContent = ""; verdict.className = "quote-verdict"; return; }
        var data = new FormData();
        data.append("source", select.value);
        data.append("quote", quote.value);
        ask(config.quoteCheckUrl, form, { body: data }).then(function (answer) {
          if (mine !== checked || answer.aborted) return;
          if (!answer.ok) { verdict.textContent = answer.data.error || ""; verdict.className = "quote-verdict"; return; }
          verdict.textContent = answer.data.verbatim
            ? fmt(_("✓ Found word for word in “%(source)s”."), { source: answer.data.source })
            : fmt(_("✗ Not found word for word in “%(source)s”: copy it exactly from the archived text."), { source: answer.data.source });
          verdict.className = "quote-verdict " + (answer.data.verbatim ? "verbatim" : "not-verbatim");
        });
      }
      var later = debounce(check, 300);
      quote.addEventListener("input", later);

      // Django's admin triggers "change" on every related select as it starts, and a native change
      // reaches both listeners below: load each chosen source once, or a second answer would
      // replace the text under a passage the editor is selecting.
      var shown = null, loads = 0;
      function load() {
        if (select.value === shown) return;
        shown = select.value;
        var mine = ++loads;
        if (!select.value) {
          title.textContent = _("Archived text of the source");
          text.textContent = _("Choose a source to see its archived text here.");
          return;
        }
        text.textContent = _("Loading…");
        ask(config.sourceTextUrl + "?source=" + encodeURIComponent(select.value), form).then(function (answer) {
          if (answer.aborted || mine !== loads) return;
          if (!answer.ok) shown = null;  // choosing the source again tries again
          title.textContent = answer.ok ? fmt(_("Archived text of “%(source)s”"), { source: answer.data.short_name }) : _("Archived text of the source");
          text.textContent = answer.ok ? answer.data.text : answer.data.error;
          check();
        });
      }
      function take() {
        var selection = window.getSelection();
        if (!selection || selection.isCollapsed || !text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) return false;
        var passage = selection.toString().trim();
        if (!passage) return false;
        quote.value = passage;
        quote.dispatchEvent(new Event("input", { bubbles: true }));
        check();
        return true;
      }
      text.addEventListener("mouseup", function () { setTimeout(take, 0); });
      text.addEventListener("keyup", function (event) { if (event.shiftKey) take(); });
      use.addEventListener("mousedown", function (event) { event.preventDefault(); });
      use.addEventListener("click", function () {
        if (!take()) verdict.textContent = _("Select a passage in the archived text first.");
      });
      select.addEventListener("change", load);
      if (window.django && window.django.jQuery) window.django.jQuery(select).on("change", load);
      load();
    }
    slice.call(form.querySelectorAll(".inline-related")).forEach(setup);
    document.addEventListener("formset:added", function (event) { setup(event.target); });
  }

  ready(function () {
    var store = storage("localStorage");
    if (store) {
      try {
        clearDraftAfterSuccess(store);
        pruneOldDrafts(store);
      } catch (e) { /* storage refused: the form still works, only without drafts */ }
    }
    var config = document.getElementById("editor-config");
    if (!config) return;
    var form = config.closest("form");
    var settings = config.dataset;
    var unsavedSince = store ? drafts(form, settings, store) : null;
    presence(form, settings, unsavedSince || function () { return null; });
    sizeLimits(form, settings);
    var translates = settings.model === "translations.articletranslation" || settings.model === "translations.termtranslation";
    var writesMarkdown = settings.model === "articles.article" || settings.model === "glossary.term" || translates;
    var toolbar = writesMarkdown && settings.claimSearchUrl && settings.termSearchUrl ? linkTools(form, settings) : null;
    if (toolbar && settings.model === "articles.article") writingTools(form, settings, toolbar);
    var explanation = form.elements.explanation;
    if (toolbar && (settings.model === "glossary.term" || translates) && explanation) explanation.parentNode.insertBefore(toolbar(explanation), explanation);
    if (toolbar && translates && form.elements.body) form.elements.body.parentNode.insertBefore(toolbar(form.elements.body), form.elements.body);
    if (settings.model === "evidence.claim") quotePicker(form, settings);
  });
})();
