"""What an article rests on, counted when it is rendered: its evidence profile and cited claims.

Stored on the article with its HTML (one owner, refreshed on save), so a page shows how many
statements rest on each kind of evidence, and what each one cites, without extra queries.
"""

from carnk_site.text.levels import LADDER, EvidenceLevel, Teller


def evidence_profile(claims):
    """Return the profile of a page's claims (rendering views, in order of appearance).

    `rungs` lists every kind on the ladder, weakest first, then basic biology; `seller_only`
    counts the statements that only companies selling treatment tell.
    """
    claims = list({c.slug: c for c in claims}.values())
    counts = {kind: 0 for kind in (*LADDER, EvidenceLevel.BASIC_BIOLOGY)}
    for claim in claims:
        counts[EvidenceLevel(claim.level)] += 1
    total = len(claims)
    seller_only = sum(1 for c in claims if c.tellers == (Teller.SELLER.value,))
    offset, rungs = 0, []
    for kind, count in counts.items():
        share = round(100 * count / total) if total else 0
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
    return {
        "total": total,
        "seller_only": seller_only,
        "seller_share": round(100 * seller_only / total) if total else 0,
        "rungs": rungs,
        "empty": [r["label"] for r in rungs if not r["count"]],
        "claims": [
            {
                "slug": c.slug,
                "label": c.label,
                "kind": c.level,
                "rank": c.rank,
                "citations": [
                    {"source": x.source_name, "commercial": x.commercial, "url": x.url, "quote": x.quote}
                    for x in c.citations
                ],
            }
            for c in claims
        ],
    }
