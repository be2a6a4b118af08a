"""Configuration is checked at start-up and errors name the key and the file."""

from __future__ import annotations

import pytest

from mailbot.catalog import load_catalog
from mailbot.errors import ConfigError
from mailbot.settings import PROJECT_ROOT, load_settings


def test_embedded_defaults_describe_the_demo(tmp_path):
    settings = load_settings(None, data_dir=str(tmp_path))
    assert settings.imap.host == "127.0.0.1"
    assert settings.database_url.startswith("sqlite:///") and str(tmp_path) in settings.database_url
    assert settings.imap.folders.review == "À vérifier"


def test_a_wrong_value_names_the_key_and_the_file(tmp_path):
    path = tmp_path / "mailbot.toml"
    path.write_text('[imap]\nport = "deux"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value) and "imap.port" in str(caught.value)


def test_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "mailbot.toml"
    path.write_text("[smtp]\nhots = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"smtp\.hots"):
        load_settings(path)


def test_a_password_in_the_file_is_refused_with_the_variable_to_use(tmp_path):
    path = tmp_path / "mailbot.toml"
    path.write_text('[imap]\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="MAILBOT_IMAP__PASSWORD"):
        load_settings(path)


def test_secrets_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILBOT_SMTP__PASSWORD", "s3cret")
    monkeypatch.setenv("MAILBOT_DATABASE__URL", "postgresql+psycopg://u@db/mailbot")
    path = tmp_path / "mailbot.toml"
    path.write_text('[smtp]\nhost = "smtp.example.org"\nusername = "ipp"\n', encoding="utf-8")
    settings = load_settings(path)
    assert (
        settings.smtp.password is not None and settings.smtp.password.get_secret_value() == "s3cret"
    )
    assert settings.smtp.host == "smtp.example.org"
    assert settings.database_url == "postgresql+psycopg://u@db/mailbot"


def test_relative_paths_are_relative_to_the_file(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "mailbot.toml"
    path.write_text('data_dir = "../var"\n', encoding="utf-8")
    assert load_settings(path).data_dir == (tmp_path / "var").resolve()


def test_bad_timezone_and_invoice_format_are_explained(tmp_path):
    path = tmp_path / "mailbot.toml"
    path.write_text('timezone = "Paris"\n[invoicing]\nnumber_format = "{year}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "timezone" in str(caught.value) and "invoicing.number_format" in str(caught.value)


def test_the_example_config_is_valid_and_complete():
    example = PROJECT_ROOT / "config" / "mailbot.example.toml"
    settings = load_settings(example)
    assert settings.imap.security == "tls"


def test_the_shipped_catalog_holds_the_three_webinars():
    catalog = load_catalog(PROJECT_ROOT / "config" / "catalog.toml")
    assert [w.id for w in catalog.webinars] == ["cpom-ase", "cpom-ph", "cpom-saad"]
    assert [str(s.date) for s in catalog.webinar("cpom-saad").sessions] == [
        "2027-03-18",
        "2027-10-08",
    ]


def test_a_broken_catalog_names_the_key(tmp_path):
    path = tmp_path / "catalog.toml"
    text = (PROJECT_ROOT / "config" / "catalog.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('price_eur = "625.00"', 'price_eur = "-1"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"webinars\.2\.price_eur"):
        load_catalog(path)
