"""The evidence ladder: kinds of evidence from weakest to strongest, with the plain words readers see.

A claim's `evidence` is one kind. The ladder ranks kinds that say how far a treatment has been
tested; *basic biology* (how cells work) is beside the ladder, not on it, and has no rank.
`LEGACY_LEVELS` maps each kind to the coarser vocabulary of the published markup contract
(`data-evidence`, `/claims.json` `evidence.level`), which outside tools already read.
"""

from django.db import models


class EvidenceLevel(models.TextChoices):
    """What a claim rests on, in ladder order (weakest first), then basic biology."""

    NO_STUDY = "no-study", "No study named"
    PRECLINICAL = "preclinical", "Lab or animal study"
    TRIAL = "trial", "Trial in people, phase not stated"
    PHASE_1 = "phase-1", "Phase I"
    PHASE_1_2 = "phase-1-2", "Phase I/II"
    PHASE_2 = "phase-2", "Phase II"
    PHASE_2_RANDOMISED = "phase-2-randomised", "Randomised Phase II"
    PHASE_3 = "phase-3", "Phase III"
    APPROVED = "approved", "Approved by a regulator"
    BASIC_BIOLOGY = "basic-biology", "Basic biology"
    # Deprecated: the old catch-all, kept only until every claim is re-graded (issue 11).
    OVERVIEW = "overview", "General overview"


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
LEGACY_LEVELS = {
    EvidenceLevel.NO_STUDY: "overview",
    EvidenceLevel.BASIC_BIOLOGY: "overview",
    EvidenceLevel.OVERVIEW: "overview",
    EvidenceLevel.TRIAL: "phase-1",
}


def rank(level):
    """Return the kind's position on the ladder (0 = weakest), or None for basic biology."""
    return RANK.get(EvidenceLevel(level))


def legacy_level(level):
    """Return the contract vocabulary's value for a kind."""
    return LEGACY_LEVELS.get(EvidenceLevel(level), str(EvidenceLevel(level).value))


EXPLANATIONS = {
    EvidenceLevel.NO_STUDY: (
        "The source says it without pointing to a study. It may be true, but nothing in the "
        "source lets you check it. This is the weakest kind of evidence."
    ),
    EvidenceLevel.PRECLINICAL: (
        "Done in a laboratory, on cells in a dish or in animals such as mice. It shows an idea "
        "is worth testing. It does not show that the treatment helps people."
    ),
    EvidenceLevel.TRIAL: (
        "A study in people, but the source does not say which phase. Treat it like an early, "
        "small trial unless you learn more."
    ),
    EvidenceLevel.PHASE_1: (
        "The first tests in people, usually a small group. The main question is whether the "
        "treatment can be given without serious harm and at what dose. It cannot show that "
        "the treatment works."
    ),
    EvidenceLevel.PHASE_1_2: (
        "A trial that combines the first safety tests with an early look at whether the "
        "treatment helps. Groups are still small and there is usually no comparison group."
    ),
    EvidenceLevel.PHASE_2: (
        "A larger trial that looks at how well the treatment works for one kind of cancer. "
        "There may be no comparison group, so it is hard to know how much of the effect is "
        "due to the treatment."
    ),
    EvidenceLevel.PHASE_2_RANDOMISED: (
        "A Phase II trial in which people are put into groups by chance, so that the new "
        "treatment can be fairly compared with usual care."
    ),
    EvidenceLevel.PHASE_3: (
        "A large trial, often of hundreds of people, that compares the new treatment with "
        "the best existing one. Medicines are usually approved on results like these."
    ),
    EvidenceLevel.APPROVED: (
        "A medicines regulator has approved the treatment for use outside trials, for the "
        "conditions named in its approval. Used only for statements about an approval."
    ),
    EvidenceLevel.BASIC_BIOLOGY: (
        "How cells and the immune system work. It explains the idea behind a treatment; it "
        "says nothing about whether the treatment helps. Not on the ladder."
    ),
    EvidenceLevel.OVERVIEW: (
        "A general statement made in an overview, not tied to one study. It tells you what "
        "a source says about the field as a whole."
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
        EvidenceLevel.OVERVIEW,
    }
)


def evidence_label(level, participants=None):
    """Return the visible label for a claim, e.g. 'Phase I · 11 people'."""
    label = EvidenceLevel(level).label
    if participants:
        label += f" · {participants} {'person' if participants == 1 else 'people'}"
    return label
