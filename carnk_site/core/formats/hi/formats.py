"""Dates in Hindi: day, the month's Hindi name (Django's own translation), year."""

DATE_FORMAT = "j F Y"  # 21 मई 2027
