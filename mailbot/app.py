"""Wiring: settings in, a ready application out. No module-level state anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from mailbot.catalog import Catalog, load_catalog
from mailbot.clock import Clock, SystemClock
from mailbot.records import schema
from mailbot.records.db import make_engine, make_sessionmaker
from mailbot.settings import Settings
from mailbot.staff.journal import Journal
from mailbot.templating import Templates

if TYPE_CHECKING:
    from mailbot.invoicing.render import InvoiceRenderer
    from mailbot.understanding.model import Understanding
    from mailbot.understanding.runner import IsolatedParser


@dataclass
class App:
    """Everything a worker needs, built once from validated settings."""

    settings: Settings
    catalog: Catalog
    templates: Templates
    engine: Engine
    db: sessionmaker[DbSession]
    journal: Journal
    clock: Clock = field(default_factory=SystemClock)
    _renderer: InvoiceRenderer | None = field(default=None, repr=False)
    _parser: IsolatedParser | None = field(default=None, repr=False)

    def invoice_renderer(self) -> InvoiceRenderer:
        """Built on first use: fonts and the stylesheet are parsed once per process."""
        if self._renderer is None:
            # Imported here: WeasyPrint is heavy and an idle daemon should not pay for it.
            from mailbot.invoicing.render import InvoiceRenderer

            self._renderer = InvoiceRenderer(self.settings.templates_dir / "invoice")
        return self._renderer

    def understand(self, raw: bytes) -> Understanding:
        """What the mail is and says; isolated in a worker process unless configured off."""
        if not self.settings.parser.isolated:
            from mailbot.understanding import understand

            return understand(raw, self.catalog)
        if self._parser is None:
            from mailbot.understanding.runner import IsolatedParser

            self._parser = IsolatedParser(self.catalog, self.settings.parser.timeout_s)
        return self._parser.understand(raw)

    def migrate(self) -> None:
        schema.upgrade(self.engine)

    def dispose(self) -> None:
        if self._parser is not None:
            self._parser.close()
        self.engine.dispose()


def build_app(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Load the catalog, compile every template and open the database.

    Raises ConfigError before anything touches a mailbox if something is wrong.
    """
    clock = clock or SystemClock()
    catalog = load_catalog(settings.catalog_file)
    templates = Templates(settings.templates_dir)
    templates.compile_all()
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url, echo=settings.database.echo)
    factory = make_sessionmaker(engine)
    journal = Journal(templates, settings.journal_path, clock)
    journal.attach(factory)
    app = App(settings, catalog, templates, engine, factory, journal, clock)
    if migrate:
        app.migrate()
    return app
