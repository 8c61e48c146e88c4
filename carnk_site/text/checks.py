"""Editorial checks on rendered articles, claims and glossary terms.

The same checks run in the tests (which hold the shipped content to them), in `loadcontent`
(which prints them) and in the admin (which shows them to editors before they publish).
"""

import re
from dataclasses import dataclass

from carnk_site.text.html_tree import Element, parse
from carnk_site.text.levels import EARLY_LEVELS, LADDER, EvidenceLevel, ParticipantsStated, is_finding
from carnk_site.text.quotes import quote_in_text
from carnk_site.text.readability import grade_level

MAX_GRADE = 9
MAX_DEFINITION_WORDS = 30
KEY_POINTS_RANGE = (3, 5)
UNKNOWNS_HEADING = "what we don't know yet"
BANNED = re.compile(
    r"\b(cur(?:e|es|ed|ing|ative)|breakthroughs?|proven|miracles?|revolutionary|revolutioni[sz](?:e|es|ed|ing)"
    r"|guarantee[sd]?|safe)\b",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d")
CLAIM_SLUG = re.compile(r'data-claim="([^"]+)"')
ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*(?=s?(?![\w-]))")
#: Capitals that are not technical terms: numerals, countries, currencies and parts of names.
EVERYDAY_ABBREVIATIONS = frozenset({"I", "II", "III", "IV", "US", "USA", "UK", "USD", "OK", "ID", "MD", "MIT"})
APPROVAL = re.compile(r"approv", re.IGNORECASE)
#: Kinds that describe a study in people, whose label may give a number of people.
TRIAL_KINDS = frozenset(LADDER[LADDER.index(EvidenceLevel.TRIAL) : LADDER.index(EvidenceLevel.APPROVED)])
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
).split()
BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "td", "th", "dt", "dd"})


@dataclass(frozen=True)
class Finding:
    """One problem an editor should fix before publishing."""

    check: str
    message: str

    def __str__(self):
        return f"{self.check}: {self.message}"


def prose_text(html):
    """Return our own words from rendered HTML: no evidence labels, no quotations, one line per block."""
    lines = []
    for block in _tree(html).elements(BLOCKS, skip=_generated):
        if block.elements(BLOCKS, skip=_generated):
            continue
        text = block.text(skip=_generated)
        if text:
            lines.append(text if text[-1] in ".?!:" else text + ".")
    return "\n".join(lines)


def numbers_outside_claims(html):
    """Return snippets of our own text that contain a digit outside any claim span."""
    return [" ".join(text.split())[:60] for text in _tree(html).strings(skip=_not_our_number) if DIGITS.search(text)]


def _tree(html):
    return html if isinstance(html, Element) else parse(html)


def _generated(element):
    """Evidence labels and quotations: text on the page that is not our own prose."""
    return element.tag == "blockquote" or element.has_class("evidence")


def _not_our_number(element):
    return element.tag in ("blockquote", "code") or "data-claim" in element.attrs or element.has_class("evidence")


def article_findings(body_html, key_points_html, key_point_count, glossary_names, sources):
    """Check a rendered article; `sources` maps each source's names to its archived text."""
    findings = []
    body, points = parse(body_html), parse(key_points_html)
    numbers = numbers_outside_claims(body) + numbers_outside_claims(points)
    quotations = quotation_findings(body, sources)
    headings = [_own_text(h).lower().replace("’", "'") for h in body.elements({"h2"})]
    prose = prose_text(body)
    grade = grade_level(prose) if prose else 0
    if grade > MAX_GRADE:
        findings.append(
            Finding(
                "readability", f"reading grade {grade} is above {MAX_GRADE}: use shorter sentences and everyday words"
            )
        )
    for snippet in numbers:
        findings.append(Finding("numbers", f"“{snippet}” has a number that is not inside a claim link"))
    everything = prose + "\n" + prose_text(points)
    for word in sorted(set(BANNED.findall(everything)), key=str.lower):
        findings.append(
            Finding("wording", f"“{word}” overstates early evidence: use it only inside an attributed quotation")
        )
    acronyms = {a for a in ACRONYM.findall(everything) if a not in EVERYDAY_ABBREVIATIONS}
    glossary_words = {word for name in glossary_names for word in name.split()}
    for acronym in sorted(acronyms - glossary_words):
        findings.append(Finding("glossary", f"“{acronym}” has no glossary entry"))
    findings += quotations
    if not KEY_POINTS_RANGE[0] <= key_point_count <= KEY_POINTS_RANGE[1]:
        findings.append(
            Finding(
                "structure", f"has {key_point_count} key points; give {KEY_POINTS_RANGE[0]} to {KEY_POINTS_RANGE[1]}"
            )
        )
    if UNKNOWNS_HEADING not in headings:
        findings.append(Finding("structure", "needs a section headed “What we don't know yet”"))
    return findings


def _own_text(element):
    """Return an element's text without the evidence labels added to it."""
    if any(e.has_class("evidence") for e in element.lineage()):
        return ""
    return element.text(skip=lambda e: e.has_class("evidence"))


def quotation_findings(body_html, sources):
    """Every quotation ends with '— <source name>' and is verbatim in that source."""
    findings = []
    for quote in _tree(body_html).elements({"blockquote"}):
        paragraphs = [p.text() for p in quote.elements({"p"})]
        if len(paragraphs) < 2 or not paragraphs[-1].startswith(("—", "–", "-")):
            findings.append(Finding("quotation", "a quotation must end with a line '— <source name>'"))
            continue
        attribution = paragraphs[-1].lstrip("—–- ").strip()
        text = " ".join(paragraphs[:-1]).strip("\"“”' ")
        source_text = next((t for names, t in sources.items() if any(n and n in attribution for n in names)), None)
        if source_text is None:
            findings.append(Finding("quotation", f"“{attribution}” does not name one of our sources"))
        elif not quote_in_text(text, source_text):
            findings.append(Finding("quotation", f"“{text[:60]}” is not word for word in {attribution}"))
    return findings


def claim_findings(statement, level):
    """Early evidence is stated tentatively: no banned words in its statement."""
    if level not in EARLY_LEVELS:
        return []
    return [
        Finding("wording", f"“{word}” overstates {level} evidence") for word in sorted(set(BANNED.findall(statement)))
    ]


def label_findings(statement, level, participants, quotes, statement_kind=None, participants_stated=""):
    """A label says only what its quotes support: an approval, and the number of people.

    'Approved by a regulator' needs a statement or quote about an approval. A trial finding
    shows how many people took part, stated in one of its quotes ("11 patients", "six
    patients", ">20 patients"): cite the passage that gives the group size. Only when the
    source names the study without its size does the label say "number of people not given".
    """
    findings = []
    stated = participants_stated or ParticipantsStated.EXACTLY
    if level == EvidenceLevel.APPROVED and not any(APPROVAL.search(text or "") for text in (statement, *quotes)):
        findings.append(
            Finding(
                "label",
                "is labelled “Approved by a regulator”, but neither its statement nor its quotes is about an "
                "approval: choose the kind by the writing guide (usually “No study named”)",
            )
        )
    trial_finding = is_finding(statement_kind) and level in TRIAL_KINDS
    if stated == ParticipantsStated.NOT_GIVEN:
        if participants:
            findings.append(
                Finding("label", "gives a number of people but also says the source does not give it: choose one")
            )
        elif not trial_finding:
            findings.append(
                Finding(
                    "label", "says the number of people is not given, but only a trial finding has a number of people"
                )
            )
    elif trial_finding and not participants:
        findings.append(
            Finding(
                "label",
                "is a trial finding but shows no number of people: cite the passage of the source that says how many "
                "people took part and fill in the number, or, if the source never says, choose “number of people not "
                "given”",
            )
        )
    if participants and level in TRIAL_KINDS and not any(states_number(q, participants) for q in quotes):
        findings.append(
            Finding(
                "label",
                f"says {participants} people, but none of its quotes states that number: cite the passage "
                "that states it",
            )
        )
    return findings


def states_number(text, number):
    """Return True when the text states the number, in digits or (up to twenty) in words."""
    if re.search(rf"(?<![\d.]){number}(?!\d|[.,]\d|%)", text):
        return True
    words = set(re.findall(r"[a-z]+", text.lower()))
    return number < len(NUMBER_WORDS) and NUMBER_WORDS[number] in words


def term_findings(definition):
    """A definition is one short plain sentence with no overstatement."""
    findings = []
    if len(re.findall(r"[.!?](?:\s|$)", definition.strip())) > 1:
        findings.append(Finding("definition", "should be one sentence"))
    if len(definition.split()) > MAX_DEFINITION_WORDS:
        findings.append(Finding("definition", f"is longer than {MAX_DEFINITION_WORDS} words"))
    findings += [Finding("wording", f"“{w}” overstates the evidence") for w in sorted(set(BANNED.findall(definition)))]
    return findings


def names_for_glossary(terms):
    """Return every name (term and alias) a glossary term can be found by, as written."""
    return {name for term in terms for name in (term.term, *term.alias_list)}


def source_texts(sources):
    """Map each source's names (short name, title, publisher) to its archived text."""
    return {tuple(n for n in (s.short_name, s.title, s.publisher) if n): s.text for s in sources}
