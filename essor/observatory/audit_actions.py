"""The observatory's audit codes as sentences (one module per part of the observatory)."""

from . import (
    audit_publications,  # noqa: F401 (datasets and notes)
    audit_values,  # noqa: F401 (collected values)
)
