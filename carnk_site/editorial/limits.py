"""How much text each long field accepts, stated in its help text and refused as a form error.

Pure numbers, no Django imports: settings reads UPLOAD_BYTES from here, so the request size
limit follows the largest field instead of being a second number that drifts.
"""

ARTICLE_BODY = 200_000
ARTICLE_KEY_POINTS = 2_000
CLAIM_STATEMENT = 1_000
CITATION_QUOTE = 5_000
TERM_EXPLANATION = 20_000
SOURCE_TEXT = 1_000_000

# A form is posted URL-encoded: a letter costs one byte, punctuation three ("%2C"). Three bytes a
# character for the largest field, plus a margin for every other field, fits any realistic text.
UPLOAD_BYTES = 3 * SOURCE_TEXT + 1_000_000


def length(text):
    """Return the length an editor sees: browsers send line breaks as two characters, count them as one."""
    return len(text.replace("\r\n", "\n"))
