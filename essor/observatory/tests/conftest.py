"""Fixtures shared by the observatory's tests: the small training dataset with known
answers (test_training_indicators.py) that the dashboards, pages and API are checked on."""

from .test_training_indicators import people, records  # noqa: F401
