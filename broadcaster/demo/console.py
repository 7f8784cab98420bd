"""Demo step: the web console's people, one of each role, and where to sign in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from broadcaster.domain.accounts import Role
from broadcaster.domain.messages import _
from broadcaster.usecases.accounts import create_user

if TYPE_CHECKING:
    from . import DemoRun

#: the demo's shared password (the demo database only; a real office sets each one)
DEMO_PASSWORD = "demo-broadcaster"

#: login, role, station tree node, name shown, what they do in the console
DEMO_PEOPLE = (
    ("admin", Role.ADMIN, "LAMDONG", "Quản trị viên", _("everything, accounts and audit")),
    ("lan", Role.OFFICE, "KV-DAKMIL", "Nguyễn Thị Lan", _("guidance, scripts, the week board")),
    ("thu", Role.APPROVER, "KV-DAKMIL", "Vũ Thị Thu", _("approves the office's scripts")),
    ("hung", Role.APPROVER, "XA-DAKMIL", "Trần Văn Hùng", _("approves his commune's items")),
    ("binh", Role.OPERATOR, "XA-DAKMIL", "Lê Văn Bình", _("his commune station's day")),
    ("son", Role.REVIEWER, "LAMDONG", "Đỗ Văn Sơn", _("reads the province's work")),
)


def step_console(run: DemoRun) -> None:
    """Make the demo's people and print how to reach the console with them."""
    run.heading(_("The web console: one person of each role"))
    app = run.app
    for username, role, node, shown, _what in DEMO_PEOPLE:
        create_user(
            app.database,
            app.clock,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            station_code=node,
            display_name=shown,
            by="demo",
        )
    table = Table(title=str(_("Demo sign-ins (password: {password})", password=DEMO_PASSWORD)))
    for header in (_("login"), _("role"), _("where"), _("what they do")):
        table.add_column(str(header))
    for username, role, node, shown, what in DEMO_PEOPLE:
        table.add_row(username, f"{role.label} — {shown}", node, str(what))
    app.console.print(table)
