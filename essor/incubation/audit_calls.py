"""Audit codes of the calls for projects, applications and selection."""
