"""``broadcaster db``: the database schema, backups and restores."""

from __future__ import annotations

from pathlib import Path

import click

from broadcaster.db import Database
from broadcaster.domain.errors import InputError

from . import App, pass_app


def say(app: App, text: str) -> None:
    """One message line, never styled (paths may hold brackets)."""
    app.console.print(text, soft_wrap=True, markup=False, highlight=False)


@click.group("db")
def command() -> None:
    """Database: create or upgrade its schema, back it up, restore a backup."""


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
    read_only = f"; read-only: {db.read_only}" if db.read_only else ""
    say(app, f"{db.display_url}: {', '.join(sorted(now)) or 'empty'} ({state}{read_only})")


@command.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE when it already exists.")
@pass_app
def backup(app: App, file: Path, force: bool) -> None:
    """Copy the whole database to FILE, safely while broadcaster is running.

    FILE may be a folder: the backup is then named by date and time. SQLite databases are
    copied with SQLite's online backup (one consistent snapshot, one file); PostgreSQL
    databases through pg_dump (Debian package postgresql-client). Restore a backup with
    'broadcaster db restore FILE'.
    """
    from broadcaster.db.backup import backup_database, size_text

    db = Database(app.settings.database_url)
    try:
        written = backup_database(db, file, app.clock.now(), force=force)
    finally:
        db.dispose()
    say(
        app,
        f"backup of {db.display_url} written to {written.path} ({size_text(written.size)}, "
        f"schema {written.revision or 'none'})",
    )


@command.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@pass_app
def restore(app: App, file: Path, yes: bool) -> None:
    """Replace the database with a backup made by 'broadcaster db backup'.

    The file must be a broadcaster database at a schema this version knows; anything else is
    refused and nothing changes. The current database is kept first (SQLite: beside it, as
    <database>.before-restore-<time>; PostgreSQL: a dump beside FILE). Stop 'broadcaster
    serve' and the agents on this machine before restoring.
    """
    from broadcaster.db.backup import plan_restore, restore_database

    db = Database(app.settings.database_url)
    try:
        plan = plan_restore(db, file)
        if not yes and not click.confirm(
            f"Replace the database {db.display_url} ({plan.current}) with {file} "
            f"({plan.incoming})?",
            default=False,
        ):
            raise InputError("restore cancelled; nothing was changed")
        done = restore_database(db, plan, app.clock.now())
    finally:
        db.dispose()
    kept = f"; the replaced database is kept as {done.kept}" if done.kept else ""
    say(app, f"restored {file} into {db.display_url} ({plan.incoming}){kept}")
    if done.needs_upgrade:
        say(app, "the backup is from an older version: run 'broadcaster db upgrade' next")
