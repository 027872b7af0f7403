"""Hedging: hedges and boosters in context."""
