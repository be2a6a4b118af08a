"""Builders of test fixtures (registration forms in every office format)."""
