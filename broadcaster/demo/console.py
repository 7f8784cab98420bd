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

#: login, role, station tree node, name shown, what they do in the console, where they start
DEMO_PEOPLE = (
    ("admin", Role.ADMIN, "LAMDONG", "Quản trị viên", _("everything, accounts and audit"), "/stations"),
    ("lan", Role.OFFICE, "KV-DAKMIL", "Nguyễn Thị Lan", _("guidance, scripts, the week board, bulletins"), "/directives"),
    ("thu", Role.APPROVER, "KV-DAKMIL", "Vũ Thị Thu", _("approves the office's scripts"), "/approvals"),
    ("hung", Role.APPROVER, "XA-DAKMIL", "Trần Văn Hùng", _("approves his commune's items"), "/approvals"),
    ("binh", Role.OPERATOR, "XA-DAKMIL", "Lê Văn Bình", _("his commune station's day"), "/today"),
    ("son", Role.REVIEWER, "LAMDONG", "Đỗ Văn Sơn", _("reads the province's work"), "/review"),
)  # fmt: skip


def step_console(run: DemoRun) -> None:
    """Make the demo's people and print how to reach the console with them."""
    run.heading(_("The web console: one person of each role"))
    app = run.app
    for username, role, node, shown, _what, _page in DEMO_PEOPLE:
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
    for header in (_("login"), _("role"), _("where"), _("what they do"), _("first page")):
        table.add_column(str(header))
    for username, role, node, shown, what, page in DEMO_PEOPLE:
        table.add_row(username, f"{role.label} — {shown}", node, str(what), page)
    app.console.print(table)
