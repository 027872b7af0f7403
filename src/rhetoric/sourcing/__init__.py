"""Sourcing: who is cited (named, anonymous, vague, state media), attribution relations and their counts."""
