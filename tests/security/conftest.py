"""Security fixtures: an editor, and a browser tab that records anything hostile that happens in it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User

from carnk_site.review.roles import EDITORS_GROUP, grant_editor_permissions
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture, used by name below)

EDITOR_PASSWORD = "a-long-editor-passphrase-77"

# Run in the page after every load: everything that could run script or leave the site.
DOM_PROBLEMS = """() => {
  const problems = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset",
                         "data", "cite", "ping", "srcdoc", "codebase", "dynsrc", "lowsrc"];
  const dangerous = /^(javascript|vbscript|livescript|data):/i;
  const forbidden = ["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (forbidden.includes(tag)) problems.push(`<${tag}> element`);
    if (tag === "script" && el.type === "application/ld+json") {
      try { JSON.parse(el.textContent); } catch (e) { problems.push(`JSON-LD that is not JSON: ${el.outerHTML.slice(0, 80)}`); }
    } else if (tag === "script" && !(el.src && new URL(el.src).origin === location.origin)) {
      problems.push(`inline <script>: ${el.outerHTML.slice(0, 80)}`);
    }
    if (tag === "meta" && el.httpEquiv) problems.push(`<meta http-equiv=${el.httpEquiv}>`);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) problems.push(`<${tag} ${attr.name}>`);
      const value = attr.value.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, "");
      if (urlAttributes.includes(attr.name.toLowerCase()) && dangerous.test(value)) {
        problems.push(`<${tag} ${attr.name}="${attr.value.slice(0, 60)}">`);
      }
    }
    for (const prop of ["href", "src", "action", "formAction"]) {
      const value = typeof el[prop] === "string" ? el[prop] : "";
      if (dangerous.test(value)) problems.push(`${tag}.${prop} = ${value.slice(0, 60)}`);
    }
  }
  if (window.__xss) problems.push(`xss() ran ${window.__xss} times`);
  return problems;
}"""
MARK_SCRIPT_RUNS = "window.xss = function () { window.__xss = (window.__xss || 0) + 1; };"


class Watched:
    """One browser tab that records dialogs, CSP violations and script errors, and checks each page's DOM."""

    def __init__(self, chromium, base_url, **context_options):
        self.base_url = base_url
        self.context = chromium.new_context(**context_options)
        self.context.add_init_script(MARK_SCRIPT_RUNS)
        self.page = self.context.new_page()
        self.events = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.events.append(f"script error: {error}"))

    def _dialog(self, dialog):
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.events.append(f"CSP violation: {message.text[:200]}")

    def visit(self, path):
        """Load a page, wait for it to settle and return what went wrong on it (empty when all is well)."""
        self.events = []
        # Deferred scripts (site.js) have run by DOMContentLoaded; anything else that could run is in the DOM check.
        response = self.page.goto(self.base_url + path, wait_until="domcontentloaded")
        problems = [f"{path}: {p}" for p in self.page.evaluate(DOM_PROBLEMS)]
        if response is None or response.status >= 500:
            problems.append(f"{path}: answered {response.status if response else 'nothing'}")
        return problems + [f"{path}: {e}" for e in self.events]

    def settle_events(self):
        """Return (and forget) what happened since the last visit, e.g. after opening a pop-up."""
        self.page.wait_for_timeout(50)
        events, self.events = self.events, []
        return events + self.page.evaluate(DOM_PROBLEMS)

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, live_server):  # noqa: F811
    tabs = []

    def open_tab(**context_options):
        tab = Watched(browser, live_server.url, **context_options)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        tab.close()


def make_editor(username="editor", password=EDITOR_PASSWORD):
    """Create an editor exactly as `manage.py createeditor` does: staff, in the Editors group."""
    user = User.objects.create_user(username=username, password=password, is_staff=True)
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:  # a live-server test before this one flushed the rows the migration made
        grant_editor_permissions(group, Permission)
    user.groups.add(group)
    return user


@pytest.fixture
def editor(db):
    return make_editor()


def admin_url(rest=""):
    return f"/{settings.ADMIN_PATH}{rest}"
