"""The editorial app keeps no records of its own: its migrations set up the editors' groups."""
