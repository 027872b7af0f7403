"""statemedia."""
