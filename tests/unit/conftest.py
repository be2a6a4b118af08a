"""Fixtures shared by the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The project's default catalog: IPP's real webinars and sessions."""
    return load_catalog(ROOT / "config" / "catalog.toml")
