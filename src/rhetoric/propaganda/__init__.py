"""propaganda."""
