"""How each language of the site writes a date (Django's FORMAT_MODULE_PATH).

Reader templates write dates with the named format `DATE_FORMAT`, never a pattern of their own, so
each language reads its way: "21 May 2027", "2027年5月21日", "21 मई 2027". Written down here rather
than left to Django's defaults, which give English "May 21, 2027" and could change with a release.
"""
