"""Tables for the web console's accounts and audit trail (revision 0011)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class UserRow(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(default="", max_length=200)
    #: argon2 hash; the password itself is never stored
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20)
    station_code: str = Field(index=True, max_length=64)
    created_at: datetime
    disabled_at: datetime | None = None
    password_changed_at: datetime | None = None
    session_version: int = 1
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    username: str = Field(index=True, max_length=64)
    action: str = Field(max_length=40)
    target: str = Field(max_length=200)
    summary: str = ""
    #: the node the change concerns (for an office reading its own trail)
    station_code: str | None = Field(default=None, index=True, max_length=64)
