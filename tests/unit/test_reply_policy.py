"""RFC 3834: mailbot never answers robots, lists or itself."""

from __future__ import annotations

import pytest

from mailbot.replies import headers_of, may_auto_reply
from tests.story import a_mail

OWN = "ipp@ipp.fr"


def verdict(sender: str = "marie@cd33.fr", **headers: str):
    raw = a_mail(sender=sender, headers={k.replace("_", "-"): v for k, v in headers.items()})
    return may_auto_reply(headers_of(raw), sender, OWN)


def test_a_person_gets_an_answer():
    assert verdict().allowed


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"List_Id": "<infos.cd33.fr>"},
        {"List_Unsubscribe": "<mailto:unsub@x.fr>"},
        {"X_Autoreply": "yes"},
        {"X_Auto_Response_Suppress": "All"},
    ],
)
def test_automatic_and_bulk_mail_gets_no_answer(headers):
    assert not verdict(**headers).allowed


@pytest.mark.parametrize(
    "sender",
    ["MAILER-DAEMON@mx.cd33.fr", "postmaster@cd33.fr", "no-reply@cd33.fr", "noreply@x.fr", OWN],
)
def test_robot_senders_get_no_answer(sender):
    assert not verdict(sender=sender).allowed


def test_auto_submitted_no_is_a_person():
    assert verdict(Auto_Submitted="no").allowed
