"""People who use the web console: accounts with a role bound to a node of the station tree.

- ``admin``: everything, everywhere (and the accounts themselves);
- ``office``: imports guidance, repairs items and scripts, plans and publishes, sends emergency
  bulletins and reads reports — for its node's subtree;
- ``approver``: signs off content (a commune leader), reads reports;
- ``operator``: runs one station's day;
- ``reviewer``: reads reports of a subtree, changes nothing.

Whether a person may do something somewhere is decided here, from their role and where their
node sits in the tree; every page and form asks before it acts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .messages import Msg, _


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    APPROVER = "approver"
    OPERATOR = "operator"
    REVIEWER = "reviewer"

    @property
    def label(self) -> Msg:
        return {
            "admin": _("Administrator"),
            "office": _("Planning office"),
            "approver": _("Approver"),
            "operator": _("Station operator"),
            "reviewer": _("Reviewer"),
        }[self.value]


class Permission(StrEnum):
    EDIT_CONTENT = "edit_content"  # import guidance, add/fix items, edit scripts, record audio
    APPROVE = "approve"  # sign off an item's script and audio
    PLAN = "plan"  # plan and publish weeks
    SEND_EMERGENCY = "send_emergency"
    READ_REPORTS = "read_reports"
    OPERATE = "operate"  # a station's day: play, mark, add local notices
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OFFICE: frozenset(
        {
            Permission.EDIT_CONTENT,
            Permission.PLAN,
            Permission.SEND_EMERGENCY,
            Permission.READ_REPORTS,
            Permission.READ_AUDIT,
        }
    ),
    Role.APPROVER: frozenset({Permission.APPROVE, Permission.READ_REPORTS}),
    Role.OPERATOR: frozenset({Permission.OPERATE}),
    Role.REVIEWER: frozenset({Permission.READ_REPORTS}),
}


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    #: the node of the station tree the role is bound to
    station_code: str
    created_at: datetime
    disabled_at: datetime | None = None
    password_changed_at: datetime | None = None
    #: raised when the password changes or the account is disabled: old sessions end
    session_version: int = 1

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @property
    def shown(self) -> str:
        """How the person is named in the audit trail and on approvals."""
        return self.display_name or self.username

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]


def may(user: User, permission: Permission, station_path: Sequence[str]) -> bool:
    """Whether ``user`` may do ``permission`` at a station, given the station's code followed
    by its ancestors' codes (nearest first). An operator reaches only its own station; the
    other roles their node's whole subtree; an administrator everything."""
    if not user.can(permission):
        return False
    if user.role is Role.ADMIN:
        return True
    if not station_path:
        return False
    if user.role is Role.OPERATOR:
        return station_path[0] == user.station_code
    return user.station_code in station_path


def sees_content_of(user: User, office_path: Sequence[str] | None) -> bool:
    """Whether guidance imported by an office (its code and ancestors, nearest first; None:
    imported at no office) is the user's to work on: an office's guidance belongs to the
    people of that office and of the nodes above it. A commune's people do not repair or
    approve what the district airs everywhere: one approval covers every station the item
    goes to. Guidance imported at no office is an administrator's alone."""
    if user.role is Role.ADMIN:
        return True
    return office_path is not None and user.station_code in office_path


@dataclass(frozen=True)
class AuditEvent:
    """One change made through the console: who, when, what, on which thing."""

    id: int
    at: datetime
    username: str
    action: str  # "item.edit", "item.approve", "directive.import", "user.create" …
    target: str  # "item 12", "directive 3", "user lan"
    summary: str
    station_code: str | None = None
