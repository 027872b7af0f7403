"""The report stage: result types, scoring formulas and the JSON / PTC / HTML renderers.

Result types know nothing of pandas, of the pipeline or of any model.
"""

from rhetoric.report.types import (
    ATTRIBUTION_KINDS, SCHEMA_VERSION, SPAN_CATEGORIES, Attribution, Report, Sentence, Span,
)

__all__ = ["SCHEMA_VERSION", "SPAN_CATEGORIES", "ATTRIBUTION_KINDS", "Span", "Sentence", "Attribution", "Report"]
