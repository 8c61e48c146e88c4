"""Evidence labels: show each run of claims, and each section, the label of its evidence once."""

import xml.etree.ElementTree as etree

from django.utils.translation import gettext_lazy as _

UNLESS_MARKED = _("Unless marked:")

#: Where a run of claims ends: a table row is one run, so a row states a shared label once.
_BLOCKS = frozenset({"p", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "figure", "div"})


def attach_labels(root, claims):
    """Give each run of claims with the same label one visible label, at the end of the run.

    A run is the claims in one paragraph, list item or table row, one after another, with the
    same label. Claims the section label in force covers (see `_section_labels`) show none.
    """
    parents = {child: parent for parent in root.iter() for child in parent}
    spans = [el for el in root.iter("span") if el.get("data-claim")]
    covered = _section_labels(root, parents, spans, claims)
    runs = []
    for span in spans:
        claim = claims[span.get("data-claim")]
        if covered.get(id(span)) == claim.label:
            continue
        block = _block_of(span, parents)
        if runs and runs[-1][0] is block and runs[-1][1] == claim.label:
            runs[-1][2].append(span)
        else:
            runs.append((block, claim.label, [span]))
    for _block, _label, members in runs:
        _append_with_space(members[-1], _evidence_tag([claims[m.get("data-claim")] for m in members]))


def _block_of(elem, parents):
    while elem in parents and elem.tag not in _BLOCKS:
        elem = parents[elem]
    return elem


def _section_labels(root, parents, spans, claims):
    """Return {id(span): label} for claims a stated label covers; add each stated label to the page.

    A stated 'Unless marked' label holds until the next one, as a reader scanning up finds it.
    A section (the part under a `##` or `###` heading, or the opening part before any) states
    another label, one at least two of its claims share, only when that shows the reader fewer
    labels (`_section_choice`). A study card (a `###` section whose list items start in bold) states its study's
    label, which covers only the card; the section after it states its own again.
    """
    found, in_force, stated = {}, None, None
    children = list(root)
    for index, heading in [(-1, None), *enumerate(children)]:
        if heading is not None and heading.tag not in {"h1", "h2", "h3"}:
            continue
        if heading is not None and heading.tag == "h1":
            in_force = None
            continue
        section = []
        for elem in children[index + 1 :]:
            if elem.tag in {"h1", "h2", "h3"}:
                break
            section.append(elem)
        inside = [s for s in spans if _within(s, section, parents)]
        if not inside:
            continue
        labels = [claims[s.get("data-claim")].label for s in inside]
        card = heading is not None and _is_study_card(heading, section)
        common = (
            max(dict.fromkeys(labels), key=labels.count) if card else _section_choice(inside, labels, in_force, parents)
        )
        shared = [s for s, label in zip(inside, labels, strict=True) if label == common]
        if card or common != in_force:
            tag = _evidence_tag([claims[s.get("data-claim")] for s in shared], None if card else str(UNLESS_MARKED))
            if heading is None:  # the opening part, before any heading: the label leads it
                lead = etree.Element("p", {"class": "section-lead"})
                lead.append(tag)
                root.insert(0, lead)
            else:
                _append_with_space(heading, tag)
            in_force, stated = common, tag
        covered = [s for s, label in zip(inside, labels, strict=True) if label == in_force]
        found.update({id(s): in_force for s in covered})
        if covered:  # the pop-up and focus show every statement a label covers, in later sections too
            link = stated.find("a")
            slugs = [*link.get("data-covers").split(), *(s.get("data-claim") for s in covered)]
            link.set("data-covers", " ".join(dict.fromkeys(slugs)))
        if card:
            in_force, stated = None, None
    return found


def _section_choice(inside, labels, in_force, parents):
    """Return the label a section should leave in force: the one that shows the reader fewest labels.

    Stating a label costs one; each run of claims it does not cover costs one more. Keeping the
    label in force wins a tie, then the label most claims share.
    """
    blocks = [_block_of(s, parents) for s in inside]

    def shown(covered):
        runs, last = 0, None
        for block, label in zip(blocks, labels, strict=True):
            if label != covered:  # covered claims show nothing and do not break a run, as in attach_labels
                runs += (block, label) != last
                last = (block, label)
        return runs + (covered != in_force)

    shared = [lb for lb in dict.fromkeys(labels) if labels.count(lb) >= 2]
    candidates = [in_force, *sorted(shared, key=labels.count, reverse=True)]
    return min(candidates, key=shown)


def _is_study_card(heading, section):
    items = [li for elem in section if elem.tag == "ul" for li in elem if li.tag == "li"]
    return (
        heading.tag == "h3"
        and len(items) >= 3
        and all(li.text in (None, "") and len(li) and li[0].tag == "strong" for li in items)
    )


def _within(elem, section, parents):
    while elem is not None and elem not in section:
        elem = parents.get(elem)
    return elem is not None


def _append_with_space(elem, tag):
    if len(elem):
        elem[-1].tail = (elem[-1].tail or "") + " "
    else:
        elem.text = (elem.text or "") + " "
    elem.append(tag)


def _label_href(claim):
    """Link a label to its first quoted passage: a page that exists wherever the label is shown."""
    return claim.citations[0].url if claim.citations else f"#claim-{claim.slug}"


def _evidence_tag(covered, prefix=None):
    """Build the visible label for claims that share it: a small strength scale and words.

    '(Phase I · 11 people · told by a seller)', linking to the first claim's quoted passage on
    its source page (articles also list every passage under "Sources cited"); the scale is drawn by CSS from its rank class and hidden from
    screen readers, because the words say the same.
    """
    claim = covered[0]
    slugs = list(dict.fromkeys(c.slug for c in covered))
    tag = etree.Element("span", {"class": "evidence section-label" if prefix else "evidence"})
    tag.text = f"({prefix} " if prefix else "("
    link = etree.SubElement(
        tag, "a", {"class": "evidence-label", "href": _label_href(claim), "data-covers": " ".join(slugs)}
    )
    marker = "basic" if claim.rank is None else f"rank-{claim.rank}"
    scale = etree.SubElement(link, "span", {"class": f"evidence-scale {marker}", "aria-hidden": "true"})
    scale.tail = claim.label
    link.tail = ")"
    return tag
