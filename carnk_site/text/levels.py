"""The evidence ladder: kinds of evidence from weakest to strongest, with the plain words readers see.

A claim's `evidence` is one kind. The ladder ranks kinds that say how far a treatment has been
tested; *basic biology* (how cells work) is beside the ladder, not on it, and has no rank.
`LEGACY_LEVELS` maps each kind to the coarser vocabulary of the published markup contract
(`data-evidence`, `/claims.json` `evidence.level`), which outside tools already read.

A claim also says what kind of statement it is (`StatementKind`) and what it is about
(`Subject`). Only a finding is graded on the ladder; the other kinds get a plain label of what
they are ("Regulator status · told by a news report"), and `kind_problem` is the one rule on
which ladder values each kind may take.
"""

import functools

from django.db import models
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _


class EvidenceLevel(models.TextChoices):
    """What a claim rests on, in ladder order (weakest first), then basic biology."""

    NO_STUDY = "no-study", _("No study named")
    PRECLINICAL = "preclinical", _("Lab or animal study")
    TRIAL = "trial", _("Trial in people, phase not stated")
    PHASE_1 = "phase-1", _("Phase I")
    PHASE_1_2 = "phase-1-2", _("Phase I/II")
    PHASE_2 = "phase-2", _("Phase II")
    PHASE_2_RANDOMISED = "phase-2-randomised", _("Randomised Phase II")
    PHASE_3 = "phase-3", _("Phase III")
    APPROVED = "approved", _("Approved by a regulator")
    BASIC_BIOLOGY = "basic-biology", _("Basic biology")


#: Position on the ladder, 0 = weakest. Basic biology is not on the ladder.
LADDER = (
    EvidenceLevel.NO_STUDY,
    EvidenceLevel.PRECLINICAL,
    EvidenceLevel.TRIAL,
    EvidenceLevel.PHASE_1,
    EvidenceLevel.PHASE_1_2,
    EvidenceLevel.PHASE_2,
    EvidenceLevel.PHASE_2_RANDOMISED,
    EvidenceLevel.PHASE_3,
    EvidenceLevel.APPROVED,
)
RANK = {level: position for position, level in enumerate(LADDER)}

#: The markup contract's vocabulary for each kind (data-evidence, /claims.json evidence.level).
#: The contract has no word for a trial whose phase is not stated, and calling it `phase-1`
#: would state a phase the source does not: it is published as `overview` (not a phased study
#: result), with the true kind beside it (`data-evidence-kind`, `evidence.kind`).
LEGACY_LEVELS = {
    EvidenceLevel.NO_STUDY: "overview",
    EvidenceLevel.BASIC_BIOLOGY: "overview",
    EvidenceLevel.TRIAL: "overview",
}


class StatementKind(models.TextChoices):
    """What kind of statement a claim is: only a finding is graded on the evidence ladder."""

    FINDING = "finding", _("Finding")
    STATUS = "status", _("Regulator or trial status")
    BACKGROUND = "background", _("Background")
    PRICE_OR_SERVICE = "price-or-service", _("Price or service")
    OPINION = "opinion", _("Recommendation or opinion")


class ParticipantsStated(models.TextChoices):
    """How the source states a study's number of people: a trial finding always says which."""

    EXACTLY = "exactly", _("The source gives the number")
    MORE_THAN = "more-than", _("The source says “more than” the number")
    NOT_GIVEN = "not-given", _("The source names the study but not its number of people")


class Subject(models.TextChoices):
    """What a claim is about, so CAR-T evidence is never counted as CAR-NK evidence."""

    CAR_NK = "car-nk", _("CAR-NK therapy")
    CAR_T = "car-t", _("CAR-T therapy")
    NK_CELLS = "nk-cells", _("NK cells and the immune system")
    TRIALS = "trials", _("Trials and treatment in general")


#: The label's words for statements that are not findings (findings name their kind of evidence):
#: short ones after a statement, full ones in pop-ups and explanations.
STATEMENT_LABEL_WORDS = {
    StatementKind.STATUS: _("Status"),
    StatementKind.BACKGROUND: _("Background"),
    StatementKind.PRICE_OR_SERVICE: _("Price or service"),
    StatementKind.OPINION: _("Opinion"),
}
STATEMENT_FULL_WORDS = {
    StatementKind.STATUS: _("Regulator or trial status"),
    StatementKind.BACKGROUND: _("Background"),
    StatementKind.PRICE_OR_SERVICE: _("A company's price or service"),
    StatementKind.OPINION: _("A recommendation or opinion"),
}

#: What each label of a statement that is not a finding means, for the page that explains labels.
STATEMENT_EXPLANATIONS = {
    StatementKind.STATUS: _(
        "Whether a treatment is approved, or offered only in trials, and which trials are registered "
        "or running. It is a fact about where things stand, not a result, so it has no strength."
    ),
    StatementKind.BACKGROUND: _(
        "How the body and its cells work, what a word means, how a treatment is made or how a trial "
        "runs. It explains; it says nothing about how well a treatment works."
    ),
    StatementKind.PRICE_OR_SERVICE: _(
        "What a company charges or offers. It tells you what the company says about itself."
    ),
    StatementKind.OPINION: _(
        "Someone's advice or view, such as who a company thinks should consider a trial. It is not a result of a study."
    ),
}

#: The ladder values each kind of statement may take; a finding takes any rung, never basic biology.
ALLOWED_LEVELS = {
    StatementKind.FINDING: frozenset(LADDER),
    StatementKind.STATUS: frozenset({EvidenceLevel.NO_STUDY}),
    StatementKind.BACKGROUND: frozenset({EvidenceLevel.NO_STUDY, EvidenceLevel.BASIC_BIOLOGY}),
    StatementKind.PRICE_OR_SERVICE: frozenset({EvidenceLevel.NO_STUDY}),
    StatementKind.OPINION: frozenset({EvidenceLevel.NO_STUDY}),
}


def kind_problem(statement_kind, level):
    """Return why a kind of statement may not take this evidence level, or '' when it may.

    A finding needs a rung of the ladder; any other statement is not graded on it, so it takes
    `no-study` (background may also take `basic-biology`).
    """
    try:
        statement_kind, level = StatementKind(statement_kind), EvidenceLevel(level)
    except ValueError:
        return ""  # an unknown value is the field's own error
    if level in ALLOWED_LEVELS[statement_kind]:
        return ""
    if statement_kind == StatementKind.FINDING:
        return str(
            _("is a finding, so it needs a kind of study on the ladder; “Basic biology” is for background statements")
        )
    allowed = " or ".join(f"“{EvidenceLevel(v).label}”" for v in sorted(ALLOWED_LEVELS[statement_kind]))
    return str(
        _(
            "is a %(kind)s statement, not a finding: it is not graded on the study ladder, so its evidence is %(allowed)s"
        )
        % {"kind": str(StatementKind(statement_kind).label).lower(), "allowed": allowed}
    )


def is_finding(statement_kind):
    """Return True when the statement is graded on the ladder (a missing kind counts as a finding)."""
    return not statement_kind or statement_kind == StatementKind.FINDING


def rank(level, statement_kind=None):
    """Return the kind's position on the ladder (0 = weakest), or None for basic biology and non-findings."""
    if not is_finding(statement_kind):
        return None
    return RANK.get(EvidenceLevel(level))


def legacy_level(level):
    """Return the contract vocabulary's value for a kind."""
    return LEGACY_LEVELS.get(EvidenceLevel(level), str(EvidenceLevel(level).value))


EXPLANATIONS = {
    EvidenceLevel.NO_STUDY: _(
        "The source says it without pointing to a study. It may be true, but nothing in the "
        "source lets you check it. This is the weakest kind of evidence."
    ),
    EvidenceLevel.PRECLINICAL: _(
        "Done in a laboratory, on cells in a dish or in animals such as mice. It shows an idea "
        "is worth testing. It does not show that the treatment helps people."
    ),
    EvidenceLevel.TRIAL: _(
        "A study in people, but the source does not say which phase. Treat it like an early, "
        "small trial unless you learn more."
    ),
    EvidenceLevel.PHASE_1: _(
        "The first tests in people, usually a small group. The main question is whether the "
        "treatment can be given without serious harm and at what dose. It cannot show that "
        "the treatment works."
    ),
    EvidenceLevel.PHASE_1_2: _(
        "A trial that combines the first safety tests with an early look at whether the "
        "treatment helps. Groups are still small and there is usually no comparison group."
    ),
    EvidenceLevel.PHASE_2: _(
        "A larger trial that looks at how well the treatment works for one kind of cancer. "
        "There may be no comparison group, so it is hard to know how much of the effect is "
        "due to the treatment."
    ),
    EvidenceLevel.PHASE_2_RANDOMISED: _(
        "A Phase II trial in which people are put into groups by chance, so that the new "
        "treatment can be fairly compared with usual care."
    ),
    EvidenceLevel.PHASE_3: _(
        "A large trial, often of hundreds of people, that compares the new treatment with "
        "the best existing one. Medicines are usually approved on results like these."
    ),
    EvidenceLevel.APPROVED: _(
        "A medicines regulator has approved the treatment for use outside trials, for the "
        "conditions named in its approval. Used only for statements about an approval."
    ),
    EvidenceLevel.BASIC_BIOLOGY: _(
        "How cells and the immune system work. It explains the idea behind a treatment; it "
        "says nothing about whether the treatment helps. Not on the ladder."
    ),
}

#: Kinds whose wording must stay tentative ("may", "early results suggest").
EARLY_LEVELS = frozenset(
    {
        EvidenceLevel.NO_STUDY,
        EvidenceLevel.PRECLINICAL,
        EvidenceLevel.TRIAL,
        EvidenceLevel.PHASE_1,
        EvidenceLevel.PHASE_1_2,
    }
)


class Teller(models.TextChoices):
    """Who tells a statement: the kind of document a source is, in the words the label uses."""

    STUDY_REPORT = "study-report", _("the study's own report")
    NEWS_REPORT = "news-report", _("a news report")
    SELLER = "seller", _("a company selling treatment")
    BLOG = "blog", _("a personal blog")


_TELLER_ORDER = {value: position for position, value in enumerate(Teller.values)}


def tellers_in_order(tellers):
    """Return the distinct tellers in a fixed order, so the same sources always read the same."""
    return tuple(sorted({str(t) for t in tellers if t}, key=_TELLER_ORDER.__getitem__))


#: Shorter words for a few kinds and tellers, used inside labels; pages that explain them use the full ones.
LABEL_WORDS = {EvidenceLevel.TRIAL: _("Trial, phase not stated")}
TELLER_LABEL_WORDS = {Teller.SELLER: _("a seller"), Teller.BLOG: _("a blog")}


def kind_words(level):
    """Return the words a label uses for a kind, e.g. 'Trial, phase not stated'."""
    level = EvidenceLevel(level)
    return str(LABEL_WORDS.get(level, level.label))


def people(participants, stated=ParticipantsStated.EXACTLY):
    """Return '11 people', '1 person', 'more than 20 people' or 'number of people not given'."""
    if stated == ParticipantsStated.NOT_GIVEN:
        return str(_("number of people not given"))
    if not participants:
        return ""
    if stated == ParticipantsStated.MORE_THAN:
        return ngettext("more than %(count)d person", "more than %(count)d people", participants) % {
            "count": participants
        }
    return ngettext("%(count)d person", "%(count)d people", participants) % {"count": participants}


def told_by(tellers, short=True):
    """Return 'told by a seller' unless a citation is the study's own report (full words: short=False)."""
    tellers = tellers_in_order(tellers)
    if not tellers or Teller.STUDY_REPORT in tellers:
        return ""
    words = [str(TELLER_LABEL_WORDS.get(Teller(t), Teller(t).label) if short else Teller(t).label) for t in tellers]
    joined = (
        words[0]
        if len(words) == 1
        else _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}
    )
    return _("told by %(tellers)s") % {"tellers": joined}


def evidence_label(level, participants=None, tellers=(), short=True, statement_kind=None, participants_stated=""):
    """Return the visible label, e.g. 'Phase I · 11 people · told by a seller'.

    Labels sit after most statements, so they use the short words; `short=False` gives the
    full ones ('told by a company selling treatment') for pop-ups and explanations. A statement
    that is not a finding says what it is instead ('Regulator status · told by a news report').
    """
    kind = "" if is_finding(statement_kind) else str(statement_kind)
    stated = str(participants_stated or ParticipantsStated.EXACTLY)
    return _label_in(get_language(), str(level), participants or None, tuple(tellers), short, kind, stated)


@functools.lru_cache(maxsize=4096)
def _label_in(language, level, participants, tellers, short, statement_kind="", stated=ParticipantsStated.EXACTLY):
    """Build a label once per language: a library re-render asks for the same few labels many thousand times."""
    if statement_kind:
        words = STATEMENT_LABEL_WORDS if short else STATEMENT_FULL_WORDS
        parts = [str(words[StatementKind(statement_kind)])]
    else:
        parts = [kind_words(level) if short else str(EvidenceLevel(level).label)]
    if how_many := people(participants, stated):
        parts.append(how_many)
    if who := told_by(tellers, short):
        parts.append(who)
    return " · ".join(parts)


def scale_text(level, statement_kind=None):
    """Return the scale's words for screen readers and print, e.g. 'strength 4 of 9'."""
    if not is_finding(statement_kind):
        return str(_("not a finding, so not graded on the study ladder"))
    position = rank(level)
    if position is None:
        return str(_("beside the scale: basic biology"))
    return _("strength %(rank)d of %(steps)d") % {"rank": position + 1, "steps": len(LADDER)}
