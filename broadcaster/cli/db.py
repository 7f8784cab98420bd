"""``broadcaster db``: the database schema."""

from __future__ import annotations

import click

from broadcaster.db import Database

from . import App, pass_app


@click.group("db")
def command() -> None:
    """Database schema: create or upgrade it."""


@command.command("upgrade")
@pass_app
def upgrade(app: App) -> None:
    """Create or upgrade the database schema to this version of broadcaster."""
    db = Database(app.settings.database_url)
    try:
        before, after = db.upgrade()
    finally:
        db.dispose()
    if before == after:
        app.console.print(f"database {db.display_url} is up to date ({', '.join(sorted(after))})")
    else:
        was = ", ".join(sorted(before)) or "empty"
        app.console.print(f"database {db.display_url} upgraded: {was} → {', '.join(sorted(after))}")


@command.command("current")
@pass_app
def current(app: App) -> None:
    """Show the database location and its schema revision."""
    db = Database(app.settings.database_url)
    try:
        now, heads = db.current_revisions(), db.head_revisions()
    finally:
        db.dispose()
    state = "up to date" if now == heads else "needs 'broadcaster db upgrade'"
    app.console.print(f"{db.display_url}: {', '.join(sorted(now)) or 'empty'} ({state})")
