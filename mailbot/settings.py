"""Typed configuration, validated once at start-up.

Sources, strongest first: environment variables (``MAILBOT_IMAP__PASSWORD``...),
then the TOML file named by ``--config`` or ``MAILBOT_CONFIG``, then the embedded
defaults, which describe the demo set-up (mailbox on 127.0.0.1, SQLite under
``./data``). Secrets are accepted only from the environment: a password written
in the file is refused, so it cannot end up in a repository or a backup of it.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import zoneinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from mailbot.errors import ConfigError, format_validation_error

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_ENV = "MAILBOT_CONFIG"
SECRET_KEYS = {"password", "url", "session_secret"}


class Security(StrEnum):
    PLAIN = "plain"  # loopback / trusted network only
    STARTTLS = "starttls"
    TLS = "tls"  # implicit TLS (IMAPS 993, SMTPS 465)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FolderNames(_Section):
    """Where a handled mail ends up, so staff see the outcome in their mail client."""

    done: str = "Traités"
    review: str = "À vérifier"
    ignored: str = "Ignorés"
    sent: str = "Envoyés"

    @field_validator("*")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip() or value.strip().upper() == "INBOX":
            raise ValueError("folder name must be non-empty and not INBOX")
        return value.strip()


class ImapSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=10143, ge=1, le=65535)
    security: Security = Security.PLAIN
    username: str = "ipp@ipp.fr"
    password: SecretStr = SecretStr("secret")
    inbox: str = "INBOX"
    folders: FolderNames = FolderNames()
    use_idle: bool = True
    # RFC 2177: servers may drop an IDLE after 30 minutes; re-issue well before.
    idle_renew_s: float = Field(default=25 * 60, gt=0, le=29 * 60)
    poll_interval_s: float = Field(default=60, gt=0)
    fetch_batch: int = Field(default=100, ge=1, le=1000)
    timeout_s: float = Field(default=30, gt=0)
    max_message_bytes: int = Field(default=40_000_000, gt=0)


class SmtpSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=10025, ge=1, le=65535)
    security: Security = Security.PLAIN
    username: str | None = None
    password: SecretStr | None = None
    timeout_s: float = Field(default=30, gt=0)
    from_address: str = "ipp@ipp.fr"
    from_name: str = "IPP – Institut de la Performance Publique"
    max_attempts: int = Field(default=8, ge=1, le=50)
    retry_base_s: float = Field(default=30, gt=0)
    retry_max_s: float = Field(default=3600, gt=0)
    # A row left "sending" this long is assumed to belong to a dead worker.
    stale_claim_s: float = Field(default=300, gt=0)
    batch_size: int = Field(default=50, ge=1)
    connections: int = Field(default=2, ge=1, le=20)


class DatabaseSettings(_Section):
    url: SecretStr | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in data_dir"
    )
    echo: bool = False


class SchedulerSettings(_Section):
    outbox_interval_s: float = Field(default=15, gt=0)
    mailing_days_before: int = Field(default=2, ge=0, le=30)
    mailing_time: dt.time = dt.time(10, 0)
    morning_reminder: bool = False
    morning_reminder_time: dt.time = dt.time(8, 0)
    # How often the mailing planner looks at the database; a missed run is caught up.
    planner_interval_s: float = Field(default=60, gt=0)
    # Above this total, the dossier is a download link instead of an attachment.
    dossier_max_attach_bytes: int = Field(default=8_000_000, ge=0)
    # Where staff publish dossiers too big to attach; {filename} and {sha256} are filled in.
    dossier_download_url: str = "https://www.ipp.fr/dossiers/{sha256}/{filename}"


class InvoicingSettings(_Section):
    number_format: str = "{year}-{seq:06d}"

    @field_validator("number_format")
    @classmethod
    def _valid_format(cls, value: str) -> str:
        try:
            sample = value.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"must use only {{year}} and {{seq}}: {exc}") from exc
        if sample == value.format(year=2026, seq=2):
            raise ValueError("must contain {seq}")
        return value


class RepliesSettings(_Section):
    acknowledge_review: bool = Field(
        default=True, description="send 'bien reçu, nous revenons vers vous' once per mail"
    )
    max_replies_per_sender_per_day: int = Field(default=10, ge=1)
    message_id_domain: str = "ipp.fr"


class WebSettings(_Section):
    """The staff web interface (`mailbot web`); TLS belongs to a reverse proxy in front."""

    # Loopback by default: staff reach it through the proxy, never directly from the network.
    host: str = "127.0.0.1"
    port: int = Field(default=8025, ge=1, le=65535)
    # True behind the HTTPS proxy: the browser then never sends the cookie over plain HTTP.
    secure_cookies: bool = False
    session_secret: SecretStr | None = Field(
        default=None, description="signs session cookies; from MAILBOT_WEB__SESSION_SECRET"
    )
    session_max_age_s: int = Field(default=12 * 3600, ge=300)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_s: int = Field(default=15 * 60, ge=60)


class ParserSettings(_Section):
    # Parse each mail in a worker process with a time and memory limit, so a hostile
    # attachment cannot hang or kill the daemon. Off only in fast unit tests.
    isolated: bool = True
    # Seconds of work (CPU) one mail may take; a worker stuck without working is
    # stopped at three times this on the wall clock.
    timeout_s: float = Field(default=30, gt=0, le=600)


class Settings(BaseSettings):
    """Everything mailbot needs to run, checked before anything starts."""

    model_config = SettingsConfigDict(
        env_prefix="MAILBOT_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Path("data")
    catalog_file: Path = PROJECT_ROOT / "config" / "catalog.toml"
    templates_dir: Path = PROJECT_ROOT / "templates"
    log_file: Path | None = Field(default=None, description="default: data_dir/mailbot.log")
    timezone: str = "Europe/Paris"
    imap: ImapSettings = ImapSettings()
    smtp: SmtpSettings = SmtpSettings()
    database: DatabaseSettings = DatabaseSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    invoicing: InvoicingSettings = InvoicingSettings()
    replies: RepliesSettings = RepliesSettings()
    parser: ParserSettings = ParserSettings()
    web: WebSettings = WebSettings()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. 'Europe/Paris')") from exc
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives through init_settings (see load_settings), so the
        # environment must come first to override it.
        return (env_settings, init_settings, file_secret_settings)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def database_url(self) -> str:
        if self.database.url is not None:
            return self.database.url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'mailbot.sqlite3').resolve()}"

    @property
    def journal_path(self) -> Path:
        return self.log_file or self.data_dir / "mailbot.log"


def config_path_from_env(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV)
    return Path(from_env) if from_env else None


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from the file (if any), the environment and ``overrides``.

    Raises ``ConfigError`` with one line per problem, naming the key and the file.
    """
    raw: dict[str, Any] = {}
    source = "embedded defaults"
    if path is not None:
        source = str(path)
        raw = _read_toml(path)
        _refuse_secrets(raw, path)
        raw = _resolve_paths(raw, path.parent)
    raw.update(overrides)
    try:
        return Settings(**raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: configuration file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _refuse_secrets(raw: dict[str, Any], path: Path, prefix: str = "") -> None:
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            _refuse_secrets(value, path, f"{dotted}.")
        elif key in SECRET_KEYS and value not in (None, ""):
            env = "MAILBOT_" + dotted.upper().replace(".", "__")
            raise ConfigError(
                f"{path}: {dotted}: secrets are not read from files; set the environment "
                f"variable {env} instead"
            )


def _resolve_paths(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Relative paths in the file are relative to the file, not to the working directory."""
    resolved = dict(raw)
    for key in ("data_dir", "catalog_file", "templates_dir", "log_file"):
        if isinstance(resolved.get(key), str) and not Path(resolved[key]).is_absolute():
            resolved[key] = str((base / resolved[key]).resolve())
    return resolved
