/* CAR-NK explained: glossary and citation pop-ups.
 *
 * Progressive enhancement. Without this file a glossary link (a.term) goes to the glossary
 * entry and a citation link (a.cite) to the quoted passage on the source page. With it, a
 * click, tap or Enter opens a small non-modal dialog right after the link, filled from the
 * site's own JSON (/glossary/ID.json, /claims/ID.json). Focus moves into the dialog so screen
 * readers announce it; Escape or a click outside closes it; it never closes on hover changes
 * (WCAG 1.4.13). No inline script or style: positions are set through the CSSOM, which a strict
 * Content-Security-Policy allows.
 */
(function () {
  "use strict";

  var TRIGGERS = "a.term[data-term], .claim[data-claim] a.cite";
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
    var claim = trigger.closest("[data-claim]").getAttribute("data-claim");
    return "/claims/" + encodeURIComponent(claim) + ".json";
  }

  function termContent(trigger, term) {
    return {
      title: term.term,
      lines: [make("span", "popup-line", term.definition)],
      link: {href: term.url || trigger.href, text: "Full entry: " + term.term}
    };
  }

  function citationContent(trigger, claim) {
    var anchor = decodeURIComponent(trigger.hash.slice(1));
    var citation = claim.citations.filter(function (c) { return c.anchor === anchor; })[0] || claim.citations[0];
    var source = citation.source;
    var people = claim.participants
      ? claim.participants + (claim.participants === 1 ? " person" : " people") + " took part."
      : "The source does not say how many people took part.";
    var kind = make("span", "popup-line", "Kind of source: " + source.kind + ". ");
    if (source.commercial) {
      kind.appendChild(make("strong", "commercial-label", "Commercial source: it sells treatment access or advice."));
    }
    var evidence = make("span", "popup-line");
    evidence.appendChild(document.createTextNode("Evidence: "));
    evidence.appendChild(make("strong", "evidence-level", claim.label));
    return {
      title: "Source: " + source.name,
      lines: [evidence, make("span", "popup-line", people), kind,
              make("span", "popup-quote", "\u201C" + citation.quote + "\u201D")],
      link: {href: citation.url || trigger.href, text: "Read the passage in " + source.title}
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
    var close = make("button", "popup-close", "Close");
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
    box.focus({preventScroll: true});
    box.scrollIntoView({block: "nearest"});
  }

  function hide(returnFocus) {
    if (!current) { return; }
    var trigger = current.trigger;
    current.box.remove();
    current = null;
    trigger.setAttribute("aria-expanded", "false");
    trigger.removeAttribute("aria-controls");
    if (returnFocus) { trigger.focus(); }
  }

  function open(trigger) {
    pending = trigger;
    getJSON(dataUrl(trigger)).then(function (data) {
      if (pending !== trigger) { return; }
      pending = null;
      var isTerm = trigger.classList.contains("term");
      show(trigger, isTerm ? termContent(trigger, data) : citationContent(trigger, data));
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

  window.addEventListener("resize", function () {
    if (current) { place(current.trigger, current.box); }
  });
}());
