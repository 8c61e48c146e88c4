"""The fixed vocabulary of evidence levels, with the plain words readers see."""

from django.db import models


class EvidenceLevel(models.TextChoices):
    """How strong the study behind a claim is, from weakest to most established."""

    PRECLINICAL = "preclinical", "Lab or animal study"
    PHASE_1 = "phase-1", "Phase I trial"
    PHASE_1_2 = "phase-1-2", "Phase I/II trial"
    PHASE_2 = "phase-2", "Phase II trial"
    PHASE_2_RANDOMISED = "phase-2-randomised", "Randomised Phase II trial"
    PHASE_3 = "phase-3", "Phase III trial"
    APPROVED = "approved", "Approved treatment"
    OVERVIEW = "overview", "General overview"


EXPLANATIONS = {
    EvidenceLevel.PRECLINICAL: (
        "Done in a laboratory, on cells in a dish or in animals such as mice. It shows an idea "
        "is worth testing. It does not show that the treatment helps people."
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
        "A treatment that a medicines regulator has approved for use outside trials, for "
        "the conditions named in its approval."
    ),
    EvidenceLevel.OVERVIEW: (
        "A general statement made in an overview, not tied to one study. It tells you what "
        "a source says about the field as a whole."
    ),
}

#: Levels whose wording must stay tentative ("may", "early results suggest").
EARLY_LEVELS = frozenset(
    {EvidenceLevel.PRECLINICAL, EvidenceLevel.PHASE_1, EvidenceLevel.PHASE_1_2, EvidenceLevel.OVERVIEW}
)


def evidence_label(level, participants=None):
    """Return the visible label for a claim, e.g. 'Phase I trial · 11 people'."""
    label = EvidenceLevel(level).label
    if participants:
        label += f" · {participants} {'person' if participants == 1 else 'people'}"
    return label
