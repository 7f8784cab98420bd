"""The web console, served beside the API by the same process (see broadcaster/server.py).

Server-rendered Jinja2 pages, every action a plain form POST (htmx, vendored, only improves
them), Vietnamese through the catalogue. Pages call the same use cases as the CLI and the API.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import URLSafeTimedSerializer

from broadcaster import security
from broadcaster.config import Settings
from broadcaster.domain.clock import Clock
from broadcaster.domain.messages import Msg, _n, active
from broadcaster.i18n import fmt_date, fmt_datetime, fmt_day, fmt_time

from . import audit, auth, home
from .pages import page_modules
from .session import WebState
from .settings import WebSettings

HERE = Path(__file__).parent


def _gettext(msgid: str, /, **values: Any) -> str:
    return Msg(msgid, values).render()


def _ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    return _n(singular, plural, n, **values).render()


def templates(settings: Settings) -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    tz = ZoneInfo(settings.timezone)
    env = t.env
    env.globals.update(_=_gettext, _n=_ngettext, lang=lambda: _lang())
    env.filters.update(
        datetime=lambda v: fmt_datetime(v, tz) if isinstance(v, datetime) else "",
        time=lambda v: fmt_time(v, tz) if isinstance(v, datetime) else "",
        date=lambda v: fmt_date(v) if v else "",
        day=lambda v: fmt_day(v) if v else "",
    )
    return t


def _lang() -> str:
    # the English catalogue translates the weekday "Mon" as itself
    return "en" if active().gettext("Mon") == "Mon" else "vi"


def mount_console(app: FastAPI, settings: Settings, db: Any, clock: Clock) -> WebState:
    web = settings.section("web", WebSettings)
    state = WebState(
        settings=settings,
        web=web,
        db=db,
        clock=clock,
        templates=templates(settings),
        signer=URLSafeTimedSerializer(security.secret_key(settings.data_dir), salt="session"),
    )
    app.state.console = state
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (auth, home, audit, *page_modules()):
        app.include_router(module.router)
    return state
