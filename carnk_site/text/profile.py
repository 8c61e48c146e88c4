"""What an article rests on, counted when it is rendered: its evidence profile and cited claims.

Stored on the article with its HTML (one owner, refreshed on save), so a page shows how many
statements rest on each kind of evidence, and what each one cites, without extra queries. Only
findings about CAR-NK are counted on the ladder; CAR-T findings, other findings and statements
that are not findings (status, background, prices, opinions) are counted apart, in words.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from carnk_site.text.levels import (
    LADDER,
    EvidenceLevel,
    StatementKind,
    Subject,
    Teller,
    is_finding,
)

#: How the profile counts statements that are not findings ("6 on approval or trials").
COUNT_WORDS = {
    StatementKind.STATUS: _lazy("on approval or trials"),
    StatementKind.BACKGROUND: _lazy("background"),
    StatementKind.PRICE_OR_SERVICE: _lazy("on a company's prices or services"),
    StatementKind.OPINION: _lazy("recommendation or opinion"),
}


def evidence_profile(claims):
    """Return the profile of a page's claims (rendering views, in order of appearance).

    `rungs` lists every kind on the ladder, weakest first, then basic biology, counting only
    the findings about CAR-NK; `car_t`, `other_findings` and `not_graded` count the rest, each
    with its own words; `seller_only` counts the statements that only companies selling
    treatment tell.
    """
    claims = list({c.slug: c for c in claims}.values())
    total = len(claims)
    findings = [c for c in claims if is_finding(c.statement_kind)]
    car_nk = [c for c in findings if c.about == Subject.CAR_NK]
    car_t = [c for c in findings if c.about == Subject.CAR_T]
    other = [c for c in findings if c.about not in (Subject.CAR_NK, Subject.CAR_T)]
    not_graded = [c for c in claims if not is_finding(c.statement_kind)]
    counts = _by_level(car_nk)
    seller_only = sum(1 for c in claims if c.tellers == (Teller.SELLER.value,))
    offset, rungs = 0, []
    for kind, count in counts.items():
        share = _share(count, total)
        rungs.append(
            {
                "kind": kind.value,
                "label": str(kind.label),
                "rank": None if kind == EvidenceLevel.BASIC_BIOLOGY else LADDER.index(kind),
                "count": count,
                "share": share,
                "offset": offset,
            }
        )
        offset += share
    groups = []
    for key, members, words in (
        ("car-t", car_t, _findings_words(car_t, "CAR-T")),
        ("other", other, _findings_words(other, _("NK cells or trials in general"))),
        ("not-graded", not_graded, _not_graded_words(not_graded)),
    ):
        share = _share(len(members), total)
        groups.append({"key": key, "count": len(members), "share": share, "offset": offset, "words": words})
        offset += share
    return {
        "total": total,
        "car_nk": len(car_nk),
        "car_nk_words": ngettext(
            "%(count)d is a finding about CAR-NK, counted here by kind of evidence.",
            "%(count)d are findings about CAR-NK, counted here by kind of evidence.",
            len(car_nk),
        )
        % {"count": len(car_nk)},
        "seller_only": seller_only,
        "seller_share": _share(seller_only, total),
        "rungs": rungs,
        "groups": groups,
        "empty": [r["label"] for r in rungs if not r["count"]],
        "claims": [
            {
                "slug": c.slug,
                "label": c.label,
                "kind": c.level,
                "statement_kind": c.statement_kind,
                "about": c.about,
                "rank": c.rank,
                "citations": [
                    {"source": x.source_name, "commercial": x.commercial, "url": x.url, "quote": x.quote}
                    for x in c.citations
                ],
            }
            for c in claims
        ],
    }


def _by_level(claims):
    counts = {kind: 0 for kind in (*LADDER, EvidenceLevel.BASIC_BIOLOGY)}
    for claim in claims:
        counts[EvidenceLevel(claim.level)] += 1
    return counts


def _share(count, total):
    return round(100 * count / total) if total else 0


def _findings_words(claims, subject):
    """Return e.g. '8 are findings about CAR-T (2 randomised Phase II, 6 no study named), not counted as CAR-NK evidence.'"""
    if not claims:
        return ""
    kinds = ", ".join(f"{n} {kind.label[0].lower()}{kind.label[1:]}" for kind, n in _by_level(claims).items() if n)
    return ngettext(
        "%(count)d is a finding about %(subject)s (%(kinds)s), not counted as CAR-NK evidence.",
        "%(count)d are findings about %(subject)s (%(kinds)s), not counted as CAR-NK evidence.",
        len(claims),
    ) % {"count": len(claims), "subject": subject, "kinds": kinds}


def _not_graded_words(claims):
    """Return e.g. '5 are not findings, so not graded: 2 regulator or trial status, 3 background.'"""
    if not claims:
        return ""
    counts = {kind: 0 for kind in StatementKind if kind != StatementKind.FINDING}
    for claim in claims:
        counts[StatementKind(claim.statement_kind)] += 1
    kinds = ", ".join(f"{n} {COUNT_WORDS[kind]}" for kind, n in counts.items() if n)
    return ngettext(
        "%(count)d is not a finding, so it is not graded: %(kinds)s.",
        "%(count)d are not findings, so they are not graded: %(kinds)s.",
        len(claims),
    ) % {"count": len(claims), "kinds": kinds}
