"""Read what a borrower was sent — an agreement, a bill, a collector's message — as text, DOCX or
PDF, and turn it into the case format's ``[agreement]`` with provenance, inconsistencies and
red flags.  See docs/extraction.md."""

from __future__ import annotations

from .core import Extraction, Inconsistency, Provenance, RedFlagHit, extract_agreement
from .output import extraction_json, extraction_toml, merge_into_case
from .reader import read_document

__all__ = [
    "Extraction",
    "Inconsistency",
    "Provenance",
    "RedFlagHit",
    "extract_agreement",
    "extraction_json",
    "extraction_toml",
    "merge_into_case",
    "read_document",
]
