"""The publishing pipeline: the one owner of everything derived from content.

Rendered HTML, reading times, the article → claim/term/source links and the page-cache version
are refreshed here, for every writer (admin, loadcontent, shell, data migration), from model
signals: an article or term renders itself on save, and at commit the articles a change can
affect are re-rendered with bulk updates of derived fields only (no edit token, no history).
"""
