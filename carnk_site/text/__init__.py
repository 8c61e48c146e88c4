"""Text without a database: Markdown rendering, labels, readability, quotes and the editorial rules."""
