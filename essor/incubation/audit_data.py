"""Audit codes of the imports and exports of incubation."""
