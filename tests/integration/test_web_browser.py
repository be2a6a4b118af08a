"""In a real browser: Sophie logs in, corrects a participant's e-mail, approves, sees the reply.

Headless Debian chromium driven by Playwright (never `playwright install`: the
browser comes from apt, see scripts/setup.sh). A missing chromium FAILS the test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import OutboundMail, Registration, ReviewItem, ReviewStatus
from mailbot.web.server import serve_in_thread
from tests.integration.test_review_approval import a_form_with_a_broken_email
from tests.servers import free_port
from tests.story import a_registration_mail, app_for
from tests.web_helpers import PASSWORD, sophie

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(
            f"{CHROMIUM} not found: install it with `apt-get install chromium` "
            "(scripts/setup.sh does); never `playwright install`",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def site(tmp_path, mailbox, smtp_sink):
    """The app with one review item made by the real route, served on a free port."""
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink, web={"session_secret": "s" * 48})
    mailbox.deliver(a_registration_mail(a_form_with_a_broken_email(), message_id="<web@x.fr>"))
    run_daemon_once(app)
    sophie(app)
    server, thread = serve_in_thread(app, port=free_port())
    try:
        yield app, f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.dispose()


def run_daemon_once(app) -> None:
    """One daemon cycle in its own thread: Playwright's sync API owns this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_once, app).result()


def shoot(page, name: str) -> None:
    """Screenshots always taken (a page that cannot render fails); kept in docs/ on request.

    `MAILBOT_SCREENSHOTS=1 pytest tests/integration/test_web_browser.py` refreshes
    docs/screenshots/; other runs write to a temporary folder so the tree stays clean.
    """
    folder = SCREENSHOTS if os.environ.get("MAILBOT_SCREENSHOTS") else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(
            folder / f"mailbot-{name}.png" if folder != SCREENSHOTS else folder / f"{name}.png"
        ),
        full_page=True,
    )


def test_sophie_corrects_an_email_and_approves_in_the_browser(browser, site, smtp_sink):
    app, base = site
    with unit_of_work(app.db) as db:
        item_id = db.scalars(select(ReviewItem)).one().id
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()

    page.goto(base + "/")
    assert "/login" in page.url  # no page without a session
    page.fill("input[name=username]", "sophie")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Tableau de bord')")
    assert page.is_visible("text=1 courriel(s) à vérifier")
    shoot(page, "dashboard")

    page.click("nav >> text=À vérifier")
    page.click(f"a[href='/review/{item_id}'] >> nth=0")
    page.wait_for_selector("text=adresse e-mail du participant n° 2 invalide")
    email_field = page.locator("input[name='participants[1].email']")
    assert email_field.input_value() == "j.dubois@saint-medard"
    shoot(page, "review-item")

    email_field.fill("j.dubois@saint-medard.fr")
    page.click("button:has-text('Approuver')")
    page.wait_for_selector(".flash.ok")
    assert "approuvé" in page.inner_text(".flash.ok")
    assert "approbation par sophie" in page.inner_text("#history")

    with unit_of_work(app.db) as db:
        assert db.get_one(ReviewItem, item_id).status == ReviewStatus.APPROVED
        registration = db.scalars(select(Registration)).one()
        assert registration.approved_by == "sophie"
        assert registration.participants[1].email == "j.dubois@saint-medard.fr"
        confirmation = db.scalars(
            select(OutboundMail).where(OutboundMail.purpose == "confirmation")
        ).one()

    page.click("nav >> text=Envois")
    row = page.locator(f"#outbox tr:has(a[href='/outbox/{confirmation.id}'])")
    assert "en attente d'envoi" in row.inner_text()
    run_daemon_once(app)  # the sender goes through the outbox
    page.reload()
    assert "envoyé" in row.inner_text()
    assert any(b"j.dubois@saint-medard.fr" in m.raw for m in smtp_sink.messages)

    page.click("nav >> text=Journal")
    page.wait_for_selector("table.journal")
    shoot(page, "status-log")
    page.click("nav >> text=Factures")
    page.wait_for_selector("#invoices")
    assert registration.organisation_name in page.inner_text("#invoices")
    page.click("text=À déposer sur Chorus Pro")
    page.click("button:has-text('Marquer déposée')")
    assert "notée comme déposée" in page.inner_text(".flash.ok")
    page.click("nav >> text=Factures")
    page.click("summary:has-text('Émettre un avoir')")
    page.fill("input[name=reason]", "inscription annulée par le client")
    page.click('button:has-text("Émettre l\'avoir")')
    assert "Avoir 2026-000002 émis sur la facture 2026-000001" in page.inner_text(".flash.ok")
    shoot(page, "invoices")
    page.click("nav >> text=Traçabilité")
    trail = page.inner_text("table")
    for action in ("connexion", "approbation", "dépôt Chorus Pro noté", "émission d'un avoir"):
        assert action in trail
    page.click("nav >> text=Sessions")
    page.click("table a >> text=/26 novembre|27 novembre|18 mars/ >> nth=0")
    shoot(page, "session")
    page.goto(base + "/")
    shoot(page, "dashboard")
    context.close()


def test_a_forged_form_is_refused_in_the_browser(browser, site):
    _app, base = site
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", "sophie")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Tableau de bord')")
    # What a hostile page would do: post the form without our token.
    status = page.evaluate(
        """async () => (await fetch('/review/1/reject', {method: 'POST',
             body: new URLSearchParams({note: 'x'})})).status"""
    )
    assert status == 403
    context.close()
