"""The webinar catalog: what IPP sells, when, at what price, and who invoices it.

The catalog is staff-editable configuration (``config/catalog.toml``), validated
once at start-up like the rest of the settings. Everything here is immutable.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mailbot.errors import ConfigError, format_validation_error

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Seller(BaseModel):
    """The invoicing party, printed on every invoice (Code de commerce L441-9)."""

    model_config = _FROZEN

    name: str
    legal_form: str = ""
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    country_code: str = "FR"
    siren: Annotated[str, Field(pattern=r"^\d{9}$")]
    siret: Annotated[str, Field(pattern=r"^\d{14}$")]
    vat_number: str | None = None
    training_declaration: str = Field(
        description="Numéro de déclaration d'activité de prestataire de formation"
    )
    email: str
    phone: str = ""
    website: str = ""
    iban: str
    bic: str
    bank_name: str = ""
    vat_exemption_text: str = "Exonération de TVA – article 261-4-4° a du Code général des impôts"
    late_penalty_text: str = (
        "En cas de retard de paiement, application de pénalités au taux annuel égal à trois fois "
        "le taux de l'intérêt légal, et d'une indemnité forfaitaire pour frais de recouvrement "
        "de 40 € (art. L441-10 et D441-5 du Code de commerce)."
    )

    @model_validator(mode="after")
    def _siren_prefix(self) -> Seller:
        if not self.siret.startswith(self.siren):
            raise ValueError("siret must start with the 9 digits of siren")
        return self


class Session(BaseModel):
    """One day of one webinar. Its key (``cpom-ase@2026-11-26``) is stable in the database."""

    model_config = _FROZEN

    date: dt.date
    start: dt.time = dt.time(9, 30)
    end: dt.time = dt.time(17, 0)
    link: str = Field(default="", description="video-conference URL sent to participants")
    dossier: tuple[Path, ...] = Field(default=(), description="documentation files (PDF)")
    cancelled: bool = False


class Webinar(BaseModel):
    model_config = _FROZEN

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str
    price_eur: Decimal = Field(gt=0)
    sessions: tuple[Session, ...]
    keywords: tuple[str, ...] = Field(
        default=(), description="words that identify this webinar's form (lower case)"
    )

    @field_validator("sessions")
    @classmethod
    def _sessions_sorted_unique(cls, value: tuple[Session, ...]) -> tuple[Session, ...]:
        dates = [s.date for s in value]
        if len(set(dates)) != len(dates):
            raise ValueError("two sessions share the same date")
        return tuple(sorted(value, key=lambda s: s.date))


class Schedule(BaseModel):
    model_config = _FROZEN

    morning: str = "9h30–12h45"
    afternoon: str = "13h45–17h00"


class Catalog(BaseModel):
    model_config = _FROZEN

    mailbox: str = "ipp@ipp.fr"
    timezone: str = "Europe/Paris"
    schedule: Schedule = Schedule()
    seller: Seller
    webinars: tuple[Webinar, ...]

    @field_validator("webinars")
    @classmethod
    def _unique_ids(cls, value: tuple[Webinar, ...]) -> tuple[Webinar, ...]:
        ids = [w.id for w in value]
        if len(set(ids)) != len(ids):
            raise ValueError("two webinars share the same id")
        return value

    def webinar(self, webinar_id: str) -> Webinar | None:
        return next((w for w in self.webinars if w.id == webinar_id), None)

    def session(self, webinar_id: str, date: dt.date) -> Session | None:
        webinar = self.webinar(webinar_id)
        if webinar is None:
            return None
        return next((s for s in webinar.sessions if s.date == date), None)

    def all_sessions(self) -> list[tuple[Webinar, Session]]:
        return [(w, s) for w in self.webinars for s in w.sessions]


def session_key(webinar_id: str, date: dt.date) -> str:
    return f"{webinar_id}@{date.isoformat()}"


def parse_session_key(key: str) -> tuple[str, dt.date]:
    webinar_id, _, day = key.partition("@")
    if not webinar_id or not day:
        raise ValueError(f"not a session key (expected webinar@YYYY-MM-DD): {key!r}")
    return webinar_id, dt.date.fromisoformat(day)


def load_catalog(path: Path) -> Catalog:
    """Read and validate the catalog; relative dossier paths are resolved from its folder."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: catalog file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, path)) from exc
    return _resolve_dossiers(catalog, path.parent)


def _resolve_dossiers(catalog: Catalog, base: Path) -> Catalog:
    webinars = []
    for webinar in catalog.webinars:
        sessions = tuple(
            s.model_copy(update={"dossier": tuple((base / p).resolve() for p in s.dossier)})
            for s in webinar.sessions
        )
        webinars.append(webinar.model_copy(update={"sessions": sessions}))
    return catalog.model_copy(update={"webinars": tuple(webinars)})
