"""Temporary or permanent? The sender's one question, answered without a server."""

from __future__ import annotations

import random

import aiosmtplib
import pytest

from mailbot.sender import classify, retry_delay


@pytest.mark.parametrize(
    ("exc", "temporary", "code"),
    [
        (aiosmtplib.SMTPResponseException(421, "try later"), True, 421),
        (aiosmtplib.SMTPDataError(451, "local error"), True, 451),
        (aiosmtplib.SMTPDataError(550, "no such user"), False, 550),
        (aiosmtplib.SMTPSenderRefused(553, "bad sender", "ipp@ipp.fr"), False, 553),
        (aiosmtplib.SMTPConnectError("refused"), True, None),
        (aiosmtplib.SMTPServerDisconnected("gone"), True, None),
        (aiosmtplib.SMTPReadTimeoutError("slow"), True, None),
        (ConnectionRefusedError(111, "refused"), True, None),
        (ValueError("bug"), False, None),
    ],
)
def test_classify(exc, temporary, code):
    failure = classify(exc)
    assert (failure.temporary, failure.code) == (temporary, code)


def test_all_recipients_refused_temporarily_is_temporary():
    refused = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(450, "greylisted", "a@x.fr")]
    )
    assert classify(refused).temporary
    hard = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(550, "unknown", "a@x.fr")]
    )
    assert not classify(hard).temporary


def test_back_off_grows_is_jittered_and_capped():
    rng = random.Random(1)
    delays = [retry_delay(n, 30, 3600, rng) for n in range(1, 12)]
    assert 15 <= delays[0] <= 30
    assert all(d <= 3600 for d in delays)
    assert delays[5] > delays[0]
    assert len({round(d, 3) for d in delays}) == len(delays)
