"""Propaganda: sentence calls, technique heads and technique spans (SemEval-2020 Task 11 taxonomy)."""
