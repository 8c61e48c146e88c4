"""How much text each field accepts: one set of numbers for the admin forms, the content files and the renderer.

Stated in each field's help text and refused as a form error (or a file error naming the line).
Pure numbers, no Django imports: settings reads UPLOAD_BYTES from here, so the request size
limit follows the largest field instead of being a second number that drifts. Inside these
limits any Markdown renders in well under 2 s (`manage.py benchmark` prints the figures).
"""

#: Any Markdown an editor writes (article body, glossary explanation, trust page).
MARKDOWN = 40_000
#: A glossary term's name or one of its other names.
GLOSSARY_NAME = 100

ARTICLE_BODY = MARKDOWN
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
