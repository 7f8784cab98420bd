"""Accounts of the web console: make, list, disable, reset; sign in with a lock after repeated
failures; change one's own password. Every change is kept in the audit trail."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from broadcaster import security
from broadcaster.db import Database
from broadcaster.domain.accounts import AuditEvent, Permission, Role, User, may
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import ForbiddenError
from broadcaster.domain.errors import BroadcasterError, InputError
from broadcaster.domain.messages import Msg, _

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200
#: after this many wrong passwords in a row the account waits LOCK before the next try
MAX_FAILURES = 5
LOCK = timedelta(minutes=15)


class SignInRefused(BroadcasterError):
    """Wrong name or password, a disabled account, or one locked after failures."""

    code = "sign_in_refused"


def _check_password(password: str) -> str:
    password = unicodedata.normalize("NFC", password)
    if len(password) < MIN_PASSWORD:
        raise InputError(
            _(
                "the password has {n} characters; use at least {min}",
                n=len(password),
                min=MIN_PASSWORD,
            )
        )
    if len(password) > MAX_PASSWORD:
        raise InputError(_("the password is longer than {max} characters", max=MAX_PASSWORD))
    return password


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InputError(
            _(
                "{name!r} is not a usable account name: 2–64 lowercase letters, digits, dots, "
                "dashes or underscores, starting with a letter or digit",
                name=username,
            )
        )
    return name


def audit(
    db: Database,
    clock: Clock,
    actor: str,
    action: str,
    target: str,
    summary: str | Msg = "",
    station_code: str | None = None,
) -> None:
    """Keep one change in the audit trail (shown to the office in its own language when made)."""
    with db.unit_of_work() as uow:
        uow.audit.record(
            AuditEvent(0, clock.now(), actor, action, target, str(summary), station_code)
        )


def create_user(
    db: Database,
    clock: Clock,
    *,
    username: str,
    password: str,
    role: Role,
    station_code: str,
    display_name: str = "",
    by: str = "cli",
) -> User:
    name = check_username(username)
    password = _check_password(password)
    with db.unit_of_work() as uow:
        uow.stations.outline().get(station_code)
        if uow.users.exists(name):
            raise InputError(_("an account named {name!r} exists already", name=name))
        user = uow.users.add(
            User(
                0,
                name,
                unicodedata.normalize("NFC", display_name).strip(),
                role,
                station_code,
                clock.now(),
            ),
            security.hash_password(password),
        )
    audit(
        db, clock, by, "user.create", f"user {name}", f"{role.value} @ {station_code}", station_code
    )
    return user


def list_users(db: Database) -> list[User]:
    with db.unit_of_work() as uow:
        return uow.users.list()


def get_user(db: Database, user_id: int) -> User | None:
    with db.unit_of_work() as uow:
        return uow.users.by_id(user_id)


def disable_user(db: Database, clock: Clock, username: str, by: str = "cli") -> User:
    with db.unit_of_work() as uow:
        user = uow.users.disable(check_username(username), clock.now())
    audit(db, clock, by, "user.disable", f"user {user.username}", station_code=user.station_code)
    return user


def enable_user(db: Database, clock: Clock, username: str, by: str = "cli") -> User:
    with db.unit_of_work() as uow:
        user = uow.users.enable(check_username(username))
    audit(db, clock, by, "user.enable", f"user {user.username}", station_code=user.station_code)
    return user


def reset_password(
    db: Database, clock: Clock, username: str, password: str | None = None, by: str = "cli"
) -> tuple[User, str]:
    """Set a new password (a random one when none is given: returned to hand over once)."""
    new = _check_password(password) if password is not None else secrets.token_urlsafe(12)
    with db.unit_of_work() as uow:
        user = uow.users.set_password(
            check_username(username), security.hash_password(new), clock.now()
        )
    audit(
        db,
        clock,
        by,
        "user.reset_password",
        f"user {user.username}",
        station_code=user.station_code,
    )
    return user, new


def change_own_password(db: Database, clock: Clock, user: User, current: str, new: str) -> User:
    with db.unit_of_work() as uow:
        found = uow.users.find(user.username)
    if found is None or not security.check_password(found[1], current):
        raise InputError(_("the current password is not right; nothing was changed"))
    new = _check_password(new)
    if new == current:
        raise InputError(_("the new password is the old one; choose another"))
    with db.unit_of_work() as uow:
        changed = uow.users.set_password(user.username, security.hash_password(new), clock.now())
    audit(
        db,
        clock,
        user.username,
        "user.password",
        f"user {user.username}",
        station_code=user.station_code,
    )
    return changed


def sign_in(db: Database, clock: Clock, username: str, password: str) -> User:
    """The account if the name and password are right; SignInRefused otherwise, saying only
    what does not tell whether the name exists."""
    now = clock.now()
    name = username.strip().lower()
    with db.unit_of_work() as uow:
        found = uow.users.find(name)
    if found is not None and found[3] is not None and found[3] > now:
        raise SignInRefused(
            _(
                "too many wrong passwords: try again in {minutes} minutes",
                minutes=_minutes(found[3] - now),
            )
        )
    if found is None or not security.check_password(found[1], password):
        if found is not None:
            lock = now + LOCK if found[2] + 1 >= MAX_FAILURES else None
            with db.unit_of_work() as uow:
                uow.users.login_failed(name, lock)
        raise SignInRefused(_("the account name or the password is not right"))
    user = found[0]
    if not user.active:
        raise SignInRefused(_("this account is disabled; ask the administrator"))
    with db.unit_of_work() as uow:
        uow.users.logged_in(name, now)
    return user


def _minutes(left: timedelta) -> int:
    return max(1, -(-int(left.total_seconds()) // 60))


@dataclass(frozen=True)
class Reach:
    """What a signed-in person reaches: for a station code, may they do a thing there."""

    user: User

    def check(self, db: Database, permission: Permission, station_code: str) -> None:
        with db.unit_of_work() as uow:
            path = uow.tokens.station_path(station_code)
        if path is None:
            raise ForbiddenError(_("unknown station {code!r}", code=station_code))
        if not may(self.user, permission, path):
            raise ForbiddenError(
                _(
                    "{who} ({role} at {node}) may not do this at {code}",
                    who=self.user.shown,
                    role=self.user.role.label,
                    node=self.user.station_code,
                    code=station_code,
                )
            )


def audit_trail(db: Database, user: User, limit: int = 200) -> list[AuditEvent]:
    """The changes made in the user's subtree (everything for an administrator), newest first."""
    with db.unit_of_work() as uow:
        if user.role is Role.ADMIN:
            return uow.audit.recent(limit=limit)
        codes = [s.code for s in uow.stations.outline().subtree(user.station_code)]
        return uow.audit.recent(stations=codes, limit=limit)


def station_name(db: Database, code: str) -> str:
    with db.unit_of_work() as uow:
        tree = uow.stations.outline()
        return tree.get(code).name if code in tree else code
