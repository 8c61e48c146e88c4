"""Figures: the site's own drawings, the only images an editor can place, and the step that places them."""

import re
import xml.etree.ElementTree as etree

import markdown

#: Figures drawn for this site, as static/figures/<slug>.svg; `![alt](figure:slug)` may name only these.
FIGURES = frozenset(
    {
        "how-car-nk-kills",
        "where-cells-come-from",
        "trial-journey",
        "car-nk-vs-car-t",
        "icons-8-of-11",
        "icons-2-of-6",
    }
)
FIGURE_SCHEME = "figure:"
FIGURE_SRC = re.compile(r"/static/figures/([a-z0-9-]+)\.svg")


class FigureMaker(markdown.treeprocessors.Treeprocessor):
    """Turn a paragraph that starts with `![alt](figure:slug)` into a figure; the rest is its caption.

    Runs before the reference linker, so claim links in the caption are resolved like any other.
    """

    def __init__(self, linker):
        super().__init__()
        self.linker = linker

    def run(self, root):
        for p in list(root.iter("p")):
            img = p[0] if len(p) else None
            if img is None or img.tag != "img" or (p.text or "").strip():
                continue
            src = img.get("src", "")
            if not src.startswith(FIGURE_SCHEME):
                continue
            slug = src[len(FIGURE_SCHEME) :]
            if slug not in FIGURES:
                self.linker.missing.append(("figure", slug))
                continue
            p.tag, p.text = "figure", None
            p.set("class", "figure")
            img.attrib = {"src": f"/static/figures/{slug}.svg", "alt": img.get("alt", "")}
            caption = etree.Element("figcaption")
            caption.text = (img.tail or "").lstrip()
            img.tail = None
            for child in list(p)[1:]:
                p.remove(child)
                caption.append(child)
            p.append(caption)
        self._drop_other_images(root)

    @staticmethod
    def _drop_other_images(root):
        """Show any other image as its text alternative: readers only ever get our own figures."""
        for parent in root.iter():
            for index, child in reversed(list(enumerate(parent))):
                if child.tag != "img" or parent.tag == "figure":
                    continue
                words = (child.get("alt") or "") + (child.tail or "")
                parent.remove(child)
                if index:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + words
                else:
                    parent.text = (parent.text or "") + words
