"""Keeping the site safe and up: security headers, a friendly page when the database is down, the soak test."""
