"""Sourcing: who is cited (named, anonymous, vague, state media), attribution relations and their counts."""

from rhetoric.sourcing.summary import sourcing_summary

__all__ = ["sourcing_summary"]
