"""Printing the review queue for staff in a terminal."""

from __future__ import annotations

import typer

from mailbot.app import App
from mailbot.records.db import unit_of_work
from mailbot.records.models import ReviewItem
from mailbot.staff.review import open_items


def print_list(app: App) -> None:
    with unit_of_work(app.db) as db:
        items = open_items(db)
        typer.echo(app.templates.render("staff/review_list.txt", items=items))


def print_item(app: App, item_id: int) -> int:
    with unit_of_work(app.db) as db:
        item = db.get(ReviewItem, item_id)
        if item is None:
            typer.echo(f"mailbot: point de vérification n° {item_id} introuvable", err=True)
            return 2
        typer.echo(app.templates.render("staff/review_item.txt", item=item, mail=item.inbound_mail))
        return 0
