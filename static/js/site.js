/* CAR-NK explained: glossary and citation pop-ups.
 *
 * Progressive enhancement. Without this file a glossary link (a.term) goes to the glossary
 * entry and an evidence label (a.evidence-label) to its quoted passage on the source page
 * (article pages also list every passage under "Sources cited"). With it, a
 * click, tap or Enter opens a small non-modal dialog right after the link, filled from the
 * site's own JSON (/glossary/ID.json, /claims/ID.json). Focus moves into the dialog so screen
 * readers announce it; Escape or a click outside closes it; it never closes on hover changes
 * (WCAG 1.4.13). No inline script or style: positions are set through the CSSOM, which a strict
 * Content-Security-Policy allows.
 */
(function () {
  "use strict";

  var TRIGGERS = "a.term[data-term], .evidence a.evidence-label[data-covers]";
  var cache = new Map();
  var current = null;   // {trigger, box} of the open pop-up
  var pending = null;   // the trigger whose data is being fetched

  function getJSON(url) {
    if (!cache.has(url)) {
      var request = fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(url + " answered " + response.status); }
          return response.json();
        });
      request.catch(function () { cache.delete(url); });
      cache.set(url, request);
    }
    return cache.get(url);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function dataUrl(trigger) {
    if (trigger.classList.contains("term")) {
      return trigger.pathname.replace(/\/$/, "") + ".json";
    }
    return claimUrl(covered(trigger)[0]);
  }

  // In the page's language: "/claims/ID.json" in English, "/hi/claims/ID.json" in Hindi (<html data-home>).
  function claimUrl(slug) {
    var home = document.documentElement.getAttribute("data-home") || "/";
    return home + "claims/" + encodeURIComponent(slug) + ".json";
  }

  // The pop-up's own words in the page's language, from <body data-popup-...> (English if absent).
  function word(name, fallback, value) {
    var text = document.body.getAttribute("data-popup-" + name) || fallback;
    return value === undefined ? text : text.replace("%s", value);
  }

  function termContent(trigger, term) {
    return {
      title: term.term,
      lines: [make("span", "popup-line", term.definition)],
      link: {href: term.url || trigger.href, text: word("full-entry", "Full entry: %s", term.term)}
    };
  }

  function covered(trigger) {
    return trigger.getAttribute("data-covers").split(" ").filter(Boolean);
  }

  function markCovered(trigger, on) {
    covered(trigger).forEach(function (slug) {
      document.querySelectorAll('.claim[data-claim="' + slug + '"]').forEach(function (span) {
        span.classList.toggle("is-covered", on);
      });
    });
  }

  // One pop-up for a label: what it means, then each statement it covers with its sources.
  function claimContent(trigger, claims) {
    var first = claims[0];
    var lines = [make("span", "popup-line", first.kind_label + " (" + first.scale + ").")];
    lines.push(make("span", "popup-line", first.people_text));
    claims.forEach(function (claim) {
      if (claims.length > 1) {
        var statement = make("span", "popup-statement", claim.statement);
        if (claim.statement_language) { statement.lang = claim.statement_language; }  // English when untranslated
        lines.push(statement);
      }
      claim.citations.forEach(function (citation) {
        var source = make("span", "popup-line");
        var link = make("a", "", citation.source.name);
        link.href = citation.url;
        source.appendChild(link);
        source.appendChild(document.createTextNode(" \u2014 " + citation.source.teller_label + ". "));
        if (citation.source.commercial) {
          source.appendChild(make("strong", "commercial-label", claim.commercial_text));
        }
        lines.push(source);
        var quote = make("span", "popup-quote", "\u201C" + citation.quote + "\u201D");
        if (citation.quote_language) { quote.lang = citation.quote_language; }  // verbatim, as the source wrote it
        lines.push(quote);
        if (citation.translation) {  // ours, beside the quote, never in its place
          var ours = make("span", "popup-quote-translation");
          ours.lang = citation.translation_language;
          ours.appendChild(make("span", "our-translation", claim.our_translation_text));
          ours.appendChild(document.createTextNode(" " + citation.translation));
          lines.push(ours);
        }
      });
    });
    return {
      title: first.label_in_full || first.label,
      lines: lines,
      link: document.getElementById("claim-" + first.id)
        ? {href: "#claim-" + first.id, text: word("sources", "Sources cited on this page")}
        : {href: first.citations[0].url, text: word("passage", "Read the passage in %s", first.citations[0].source.title)}
    };
  }

  function build(content) {
    var box = make("span", "popup");
    box.id = "popup";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", "popup-title");
    box.setAttribute("aria-describedby", "popup-body");
    box.tabIndex = -1;
    var title = make("strong", "popup-title", content.title);
    title.id = "popup-title";
    var body = make("span", "popup-body");
    body.id = "popup-body";
    content.lines.forEach(function (line) { body.appendChild(line); });
    var actions = make("span", "popup-actions");
    var link = make("a", "popup-link", content.link.text);
    link.href = content.link.href;
    var close = make("button", "popup-close", word("close", "Close"));
    close.type = "button";
    close.addEventListener("click", function () { hide(true); });
    actions.appendChild(link);
    actions.appendChild(close);
    box.appendChild(title);
    box.appendChild(body);
    box.appendChild(actions);
    return box;
  }

  function place(trigger, box) {
    var host = box.offsetParent || document.body;
    var hostRect = host.getBoundingClientRect();
    var rects = trigger.getClientRects();
    var line = rects[rects.length - 1] || trigger.getBoundingClientRect();
    var margin = 8;
    var maxLeft = host.clientWidth - box.offsetWidth - margin;
    var left = Math.max(margin, Math.min(line.left - hostRect.left, maxLeft));
    box.style.left = left + "px";
    box.style.top = (line.bottom - hostRect.top + 6) + "px";
  }

  function show(trigger, content) {
    hide(false);
    var box = build(content);
    trigger.insertAdjacentElement("afterend", box);
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-controls", box.id);
    place(trigger, box);
    current = {trigger: trigger, box: box};
    if (!trigger.classList.contains("term")) { markCovered(trigger, true); }
    box.focus({preventScroll: true});
    box.scrollIntoView({block: "nearest"});
  }

  function hide(returnFocus) {
    if (!current) { return; }
    var trigger = current.trigger;
    if (!trigger.classList.contains("term")) { markCovered(trigger, false); }
    current.box.remove();
    current = null;
    trigger.setAttribute("aria-expanded", "false");
    trigger.removeAttribute("aria-controls");
    if (returnFocus) { trigger.focus(); }
  }

  function load(trigger) {
    if (trigger.classList.contains("term")) { return getJSON(dataUrl(trigger)); }
    return Promise.all(covered(trigger).map(function (slug) {
      return getJSON(claimUrl(slug));
    }));
  }

  function open(trigger) {
    pending = trigger;
    load(trigger).then(function (data) {
      if (pending !== trigger) { return; }
      pending = null;
      var isTerm = trigger.classList.contains("term");
      show(trigger, isTerm ? termContent(trigger, data) : claimContent(trigger, data));
    }).catch(function () {
      // No data: behave like the plain link it is.
      if (pending === trigger) { window.location.assign(trigger.href); }
    });
  }

  document.querySelectorAll(TRIGGERS).forEach(function (trigger) {
    trigger.setAttribute("aria-haspopup", "dialog");
    trigger.setAttribute("aria-expanded", "false");
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest(TRIGGERS);
    var plainClick = event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);
    if (trigger && plainClick && !event.defaultPrevented) {
      event.preventDefault();
      if (current && current.trigger === trigger) { hide(true); } else { open(trigger); }
      return;
    }
    if (current && !current.box.contains(event.target)) { hide(false); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) {
      event.preventDefault();
      hide(true);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (current && !current.box.contains(event.target) && event.target !== current.trigger) { hide(false); }
  });

  // Keyboard focus or pointer on a label shows which words it covers.
  ["focusin", "mouseover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var label = event.target.closest && event.target.closest(".evidence a.evidence-label[data-covers]");
      if (label) { markCovered(label, true); }
    });
  });
  ["focusout", "mouseout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var label = event.target.closest && event.target.closest(".evidence a.evidence-label[data-covers]");
      if (label && !(current && current.trigger === label)) { markCovered(label, false); }
    });
  });

  window.addEventListener("resize", function () {
    if (current) { place(current.trigger, current.box); }
  });

  // Open the closed list of quoted passages for a link into it (#claim-...) where the browser does
  // not, or on a second tap (no hashchange), and for printing.
  function openTarget(hash) {
    var target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    var details = target && target.closest("details:not([open])");
    if (details) { details.open = true; target.scrollIntoView(); }
  }
  openTarget(location.hash);
  addEventListener("hashchange", function () { openTarget(location.hash); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) { openTarget(link.getAttribute("href")); }
  });
  addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
}());
