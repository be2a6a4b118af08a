"""`mailbot user` and `mailbot web` as an operator types them."""

from __future__ import annotations

from typer.testing import CliRunner

from mailbot.cli import app as cli


def test_user_add_list_disable(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILBOT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    added = runner.invoke(
        cli, ["user", "add", "Sophie", "--name", "Sophie Martin", "--password-stdin"],
        input="correct horse battery\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "« sophie » créé" in added.output
    weak = runner.invoke(cli, ["user", "add", "paul", "--password-stdin"], input="court\n")
    assert weak.exit_code == 1 and "au moins 10 caractères" in weak.output
    listed = runner.invoke(cli, ["user", "list"])
    assert "sophie" in listed.output and "actif" in listed.output
    assert runner.invoke(cli, ["user", "disable", "sophie"]).exit_code == 0
    assert "désactivé" in runner.invoke(cli, ["user", "list"]).output


def test_web_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAILBOT_WEB__SESSION_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["web"])
    assert result.exit_code == 2
    assert "MAILBOT_WEB__SESSION_SECRET" in result.output
