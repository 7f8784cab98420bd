"""An item's script and audio as the console works on them: who may see an item, its latest
audio, a spoken preview of a draft, the audio file of one of its segments, and approving or
sending back from a page that may be out of date.

``speech.synthesize_items`` renders approved items only (what goes on air); an office wants to
hear a draft before a leader approves it, so :func:`preview_item_audio` renders any item's
saved script through the same synthesiser, cache and segment store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from broadcaster.db import Database
from broadcaster.domain.accounts import Role, User
from broadcaster.domain.clock import Clock
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import ApprovalState, Directive, Item, ItemKind
from broadcaster.domain.messages import _
from broadcaster.domain.segments import Segment, SegmentKind
from broadcaster.speech.settings import SpeechSettings

from .directives import approve_items
from .item_repair import check_item, send_back

# the label and the segment store are speech.py's own: a preview is stored like any rendering
from .speech import ItemResult, Synthesizer, _label, _store_segment, make_synthesizer

#: how many of an item's segments its page lists (newest first)
SHOWN_SEGMENTS = 5
#: the engines a page may synthesise with, the offline one first (the default)
VOICE_ENGINES = ("espeak-ng", "gtts")


def visible_item(db: Database, user: User, item_id: int) -> tuple[Item, Directive | None]:
    """An item the person may see, with its guidance document; another office's item, or one
    imported at no office (an administrator's alone), is not found."""
    item, directive = check_item(db, user, item_id)
    if directive is None and user.role is not Role.ADMIN:
        raise NotFoundError(_("no item {id}; see 'broadcaster items list'", id=item_id))
    return item, directive


def item_segments(db: Database, item_id: int, limit: int = SHOWN_SEGMENTS) -> list[Segment]:
    """The item's latest audio, newest (the one aired) first."""
    with db.unit_of_work() as uow:
        found = uow.segments.list(item_id=item_id)
    found.sort(key=lambda s: (s.created_at, s.id or 0), reverse=True)
    return found[:limit]


def current_audio(db: Database, item_ids: Sequence[int]) -> dict[int, Segment]:
    """Each item's audio as it would be aired (its latest segment), for those that have one."""
    with db.unit_of_work() as uow:
        return uow.segments.current_for_items(item_ids)


def _speakable(item: Item) -> None:
    if item.retired:
        raise InputError(_("item {id} was deleted and is kept for the record only", id=item.id))
    if item.kind is not ItemKind.PROPAGANDA:
        raise InputError(
            _("item {id} is administrative and is not aired; nothing to read", id=item.id)
        )


def preview_item_audio(db: Database, synth: Synthesizer, item_id: int) -> ItemResult:
    """Render the item's saved script (a draft too) and store it as the item's segment.

    Refuses, with the reason, an item without a script, an administrative or deleted item;
    an engine that cannot work raises its own error (the reason is shown to the person).
    """
    with db.unit_of_work() as uow:
        item = uow.items.get(item_id)
    _speakable(item)
    label = _label(item)
    if not item.script.strip():
        raise InputError(
            _("{label} has no announcement script; write and save its script first", label=label)
        )
    rendered = synth.render(item.script, label=label)
    return _store_segment(db, synth.clock, item, rendered)


def outdated_voices(
    speech: SpeechSettings, audio_dir: Path, clock: Clock, item: Item, segments: Sequence[Segment]
) -> set[str]:
    """The content hashes of the item's synthesised segments that read another script than
    its saved one (made before the script was changed): what they say is not what was
    written. Recordings are not judged (nothing tells what a recording says)."""
    out: set[str] = set()
    for segment in segments:
        if segment.kind is not SegmentKind.TTS or segment.engine not in VOICE_ENGINES:
            continue
        synth = make_synthesizer(speech, audio_dir, clock, engine=segment.engine)
        try:
            spoken = synth.spoken(item.script, label=_label(item))
        except InputError:
            out.add(segment.content_hash)
            continue
        if synth.key_for(spoken, synth.engine) != segment.content_hash:
            out.add(segment.content_hash)
    return out


def check_recordable(db: Database, user: User, item_id: int) -> tuple[Item, Directive | None]:
    """An item of the person's office that may take a recording (before the upload is read)."""
    item, directive = visible_item(db, user, item_id)
    _speakable(item)
    return item, directive


def segment_file(
    db: Database, user: User, item_id: int, content_hash: str, audio_dir: Path
) -> tuple[Segment, Path]:
    """One of the item's segments and its file, for a person who may see the item. A hash
    that is not one of this item's segments is not found (nothing else is served)."""
    visible_item(db, user, item_id)
    with db.unit_of_work() as uow:
        found = [s for s in uow.segments.list(item_id=item_id) if s.content_hash == content_hash]
    root = audio_dir.resolve()
    if found:
        path = (audio_dir / found[0].path).resolve()
        if path.is_relative_to(root) and path.is_file():
            return found[0], path
    raise NotFoundError(_("item {id} has no such audio", id=item_id))


# --- deciding from a page that may be out of date ------------------------------------------------


def script_version(item: Item) -> str:
    """A short fingerprint of an item's script: the page an approver decides on carries it, so
    a script changed since the page was opened is not approved unseen."""
    return hashlib.sha256(item.script.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Seen:
    """What the approver's page showed of an item: its approval state and its script's
    fingerprint (:func:`script_version`)."""

    state: ApprovalState
    version: str


@dataclass(frozen=True)
class Decided:
    """What became of one item an approver decided on: ``done`` when it changed now; otherwise
    the item as it stands shows what happened first (approved or sent back by someone, its
    script changed, deleted, or made an administrative task)."""

    item: Item
    done: bool


@dataclass(frozen=True)
class Decisions:
    decided: list[Decided]
    #: ids on the page that are no longer there (deleted meanwhile) or were never the person's
    missing: list[int]


def _still_as_seen(item: Item, seen: Seen) -> bool:
    return (
        item.approval.state is seen.state
        and script_version(item) == seen.version
        and not item.retired
        and item.kind is ItemKind.PROPAGANDA
    )


def approve_seen(db: Database, user: User, seen: Mapping[int, Seen], at: datetime) -> Decisions:
    """Approve the items that still stand as the approver's page showed them (same approval
    state, same script); the others are left as they are and returned with what happened to
    them. An id that is not found (deleted meanwhile, or another office's) is skipped."""
    if not seen:
        raise InputError(_("choose at least one item to approve"))
    items: list[Item] = []
    missing: list[int] = []
    for n in seen:
        try:
            items.append(visible_item(db, user, n)[0])
        except NotFoundError:
            missing.append(n)
    ready = [
        i
        for i in items
        if i.id is not None
        and seen[i.id].state is not ApprovalState.APPROVED
        and _still_as_seen(i, seen[i.id])
    ]
    done: dict[int | None, Item] = {}
    if ready:
        approved = approve_items(db, [i.id for i in ready if i.id is not None], user.shown, at)
        done = {i.id: i for i, _before in approved}
    decided = [Decided(done[i.id], True) if i.id in done else Decided(i, False) for i in items]
    return Decisions(decided, missing)


def send_back_seen(
    db: Database, user: User, item_id: int, seen: Seen, at: datetime, note: str
) -> Decided:
    """Send an item back with a comment if it still stands as the page showed it.

    An empty comment is refused (nothing changes) whatever the state."""
    if not note.split():
        raise InputError(_("say what to put right: the comment is empty"))
    item, _directive = visible_item(db, user, item_id)
    if seen.state is ApprovalState.RETURNED or not _still_as_seen(item, seen):
        return Decided(item, False)
    return Decided(send_back(db, item_id, user.shown, at, note), True)
