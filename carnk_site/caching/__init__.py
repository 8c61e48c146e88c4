"""Whole-page caching of public pages, invalidated by a site-wide content version."""
