"""Every interface string a reader sees has a translation in each language's catalogue (issue 26, item 1).

Editor-only strings (the admin's help texts) are left empty on purpose and fall back to English; a
reader's template is not an editor's, so a `{% translate %}` string in one must be translated.
`{% blocktranslate %}` strings are not checked here (their text is not a plain literal).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EDITORS = {"admin", "editorial", "review", "reversion"}  # templates only editors see
LITERAL = re.compile(r'\{% translate "((?:[^"\\]|\\.)*)"')
ENTRY = re.compile(r'^msgid ("(?:.*)"(?:\n".*")*)\nmsgstr ("(?:.*)"(?:\n".*")*)', re.M)


def joined(lines):
    """Return the text of a .po string written over one or more quoted lines."""
    return "".join(re.findall(r'^"(.*)"$', lines, re.M)).replace('\\"', '"')


def catalogue(language):
    """Return {msgid: msgstr} of a language's .po file."""
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return {joined(m[1]): joined(m[2]) for m in ENTRY.finditer(text)}


def reader_strings():
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        if not EDITORS & set(path.relative_to(ROOT / "templates").parts):
            found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_reader_templates_have_strings_to_check():
    assert {"Skip to main content", "What you can do next", "In the glossary"} <= reader_strings()


@pytest.mark.parametrize("language", ["zh_Hans", "hi"])
def test_every_reader_string_is_translated(language):
    translated = catalogue(language)
    missing = sorted(s for s in reader_strings() if not translated.get(s))
    assert missing == [], f"add to locale/{language}/LC_MESSAGES/django.po: {missing}"
