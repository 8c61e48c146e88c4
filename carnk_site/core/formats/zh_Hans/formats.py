"""Dates in Simplified Chinese: year, month and day with their characters."""

DATE_FORMAT = "Y年n月j日"  # 2027年5月21日
