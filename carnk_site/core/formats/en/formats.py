"""Dates in English: day, month name, year, as the site has always written them."""

DATE_FORMAT = "j F Y"  # 21 May 2027
