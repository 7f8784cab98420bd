"""``broadcaster db``: the database schema, backups and restores."""

from __future__ import annotations

from pathlib import Path

import click

from broadcaster.db import Database
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import Msg, _

from . import App, pass_app


def say(app: App, text: str | Msg) -> None:
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
    revisions = ", ".join(sorted(after))
    if before == after:
        say(
            app,
            _(
                "database {url} is up to date ({revisions})",
                url=db.display_url,
                revisions=revisions,
            ),
        )
    else:
        was = ", ".join(sorted(before)) or _("empty")
        say(
            app,
            _(
                "database {url} upgraded: {was} → {revisions}",
                url=db.display_url,
                was=was,
                revisions=revisions,
            ),
        )


@command.command("current")
@pass_app
def current(app: App) -> None:
    """Show the database location and its schema revision."""
    db = Database(app.settings.database_url)
    try:
        now, heads = db.current_revisions(), db.head_revisions()
    finally:
        db.dispose()
    state = _("up to date") if now == heads else _("needs 'broadcaster db upgrade'")
    values = {"url": db.display_url, "revisions": ", ".join(sorted(now)) or _("empty")}
    if db.read_only:
        say(
            app,
            _(
                "{url}: {revisions} ({state}; read-only: {reason})",
                state=state,
                reason=db.read_only,
                **values,
            ),
        )
    else:
        say(app, _("{url}: {revisions} ({state})", state=state, **values))


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
        _(
            "backup of {url} written to {path} ({size}, schema {revision})",
            url=db.display_url,
            path=written.path,
            size=size_text(written.size),
            revision=written.revision or _("none"),
        ),
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
        question = _(
            "Replace the database {url} ({current}) with {file} ({incoming})?",
            url=db.display_url,
            current=plan.current,
            file=file,
            incoming=plan.incoming,
        )
        if not yes and not click.confirm(str(question), default=False):
            raise InputError(_("restore cancelled; nothing was changed"))
        done = restore_database(db, plan, app.clock.now())
    finally:
        db.dispose()
    values = {"file": file, "url": db.display_url, "incoming": plan.incoming}
    if done.kept:
        say(
            app,
            _(
                "restored {file} into {url} ({incoming}); the replaced database is kept as {kept}",
                kept=done.kept,
                **values,
            ),
        )
    else:
        say(app, _("restored {file} into {url} ({incoming})", **values))
    if done.needs_upgrade:
        say(app, _("the backup is from an older version: run 'broadcaster db upgrade' next"))
