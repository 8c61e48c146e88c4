"""Which claims a piece of editor Markdown links to, read without rendering it.

Rendering resolves `[words](claim:id)` links properly; this is the cheap question asked before or
without a render: which claims does a text rest on (to find what to refresh, or what a reviewer
approved alongside the words).
"""

import re

CLAIM_REFERENCE = re.compile(r"\]\(\s*claim:([^)\s]+)")


def claim_slugs_in(*texts):
    """Return the claim ids the texts link to."""
    return {slug for text in texts for slug in CLAIM_REFERENCE.findall(text or "")}
