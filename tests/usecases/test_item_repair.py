"""Repairing an import: passages, re-imports recognised, add, delete or retire, merge, split,
re-kind, content edits, send back, and who sees what."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcaster.db import Database
from broadcaster.domain.accounts import Role, User
from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.items import ApprovalState, ItemKind
from broadcaster.domain.messages import speaking
from broadcaster.i18n import translations
from broadcaster.ingest import IngestSettings, read_guidance
from broadcaster.registry import load_station_file
from broadcaster.usecases.directives import approve_item, edit_script, import_files
from broadcaster.usecases.item_repair import (
    ContentEdit,
    add_item,
    approval_queue,
    check_directive,
    delete_items,
    directives_for,
    edit_content,
    merge_items,
    send_back,
    set_kind,
    split_item,
)

NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
GUIDANCE = "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"


@pytest.fixture(autouse=True)
def english():
    """Errors are matched in English here; one test reads the Vietnamese."""
    with speaking(translations("en")):
        yield


@pytest.fixture
def office(db: Database, repo_dir: Path) -> Database:
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(load_station_file(repo_dir / "schedules" / "example.toml"))
    return db


def _import(db: Database, path: Path, office: str | None = "KV-DAKMIL"):
    extracted, documents = read_guidance(path, IngestSettings())
    (result,) = import_files(db, [(extracted, documents)], NOW, office)
    return extracted, result


def _user(role: Role, code: str) -> User:
    return User(1, "lan", "Lan", role, code, NOW)


def test_an_import_keeps_the_text_and_each_item_s_passage(office: Database, repo_dir: Path):
    extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    (directive,) = result.directives
    assert directive.text == extracted.text and directive.office_code == "KV-DAKMIL"
    located = [i for i in result.items if i.passage is not None]
    assert len(located) == len(result.items)  # every topic of the example is found
    for item in result.items:
        start, end = item.passage
        passage = directive.text[start:end]
        # the passage starts at the item's own line and holds its title
        assert item.title[:30].casefold() in " ".join(passage.split()).casefold()
    starts = [i.passage_start for i in result.items]
    assert starts == sorted(starts)


def test_the_same_document_in_another_encoding_is_recognised(office: Database, repo_dir, tmp_path):
    source = repo_dir / "schedules" / "guidance" / GUIDANCE
    _extracted, first = _import(office, source)
    # the same words in UTF-16 with Windows line ends and other spacing: another file
    copy = tmp_path / "ban-sao.txt"
    text = source.read_text(encoding="utf-8").replace("\n", "  \r\n")
    copy.write_bytes(text.encode("utf-16"))
    _extracted, again = _import(office, copy)
    assert again.already_imported
    assert [d.id for d in again.directives] == [d.id for d in first.directives]
    with office.unit_of_work() as uow:
        assert len(uow.directives.list()) == len(first.directives)


def test_a_different_text_with_the_same_number_is_imported_and_named(
    office: Database, repo_dir, tmp_path
):
    source = repo_dir / "schedules" / "guidance" / GUIDANCE
    _extracted, first = _import(office, source)
    revised = tmp_path / "sua-doi.txt"
    revised.write_text(source.read_text(encoding="utf-8") + "\nBổ sung: tuyên truyền thêm.\n")
    _extracted, second = _import(office, revised)
    assert not second.already_imported
    assert first.directives[0].number  # the example has a number
    assert [d.id for d in second.same_number] == [first.directives[0].id]


def test_an_unknown_office_is_refused_and_nothing_stored(office: Database, repo_dir):
    with pytest.raises(NotFoundError):
        _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE, office="KV-NOWHERE")
    with office.unit_of_work() as uow:
        assert uow.directives.list() == []


def test_an_item_added_from_a_passage_takes_its_place_among_the_items(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    directive = result.directives[0]
    items = sorted(result.items, key=lambda i: i.position)
    second = items[1]
    # a passage between the first and the second item
    start = items[0].passage_end - 20
    added = add_item(office, directive.id, "Chủ đề bị sót", passage=(start, start + 15))
    assert added.text == directive.text[start : start + 15].strip()
    assert added.approval.state is ApprovalState.DRAFT
    with office.unit_of_work() as uow:
        ordered = uow.items.list(directive_id=directive.id)
    titles = [i.title for i in ordered]
    assert titles.index("Chủ đề bị sót") == titles.index(second.title) - 1

    with pytest.raises(InputError, match="not inside"):
        add_item(office, directive.id, "Ngoài", passage=(0, len(directive.text) + 5))
    with pytest.raises(InputError, match="empty"):
        add_item(office, directive.id, "   ")
    typed = add_item(office, directive.id, "Gõ tay", text="Nội dung gõ tay")
    assert typed.position == max(i.position for i in ordered) + 1


def test_a_draft_is_deleted_and_an_aired_or_approved_item_retired(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    a, b, c = [i for i in result.items if i.kind is ItemKind.PROPAGANDA][:3]
    edit_script(office, b.id, "Kính thưa bà con.")
    approve_item(office, b.id, "Phó Chủ tịch", NOW)
    with office.unit_of_work() as uow:
        uow.airings.add_many(
            [
                Airing(
                    event_id="e1",
                    station_code="XA-DAKMIL",
                    item_id=c.id,
                    title=c.title,
                    status=AiringStatus.AIRED,
                    planned_start=NOW,
                    source=AiringSource.AGENT,
                    actual_start=NOW,
                    actual_end=NOW + timedelta(minutes=1),
                )
            ],
            NOW,
        )
    removed = delete_items(office, [a.id, b.id, c.id], NOW)
    assert [i.id for i in removed.deleted] == [a.id]
    assert sorted(i.id for i in removed.retired) == sorted([b.id, c.id])
    with office.unit_of_work() as uow:
        listed = {i.id for i in uow.items.list()}
        assert not {a.id, b.id, c.id} & listed  # none is listed or planned any more
        assert uow.items.get(b.id).retired and uow.items.get(c.id).retired
        assert b.id not in {i.id for i in uow.items.approved()}
        with pytest.raises(NotFoundError):
            uow.items.get(a.id)
    with pytest.raises(InputError, match="kept for the record"):
        edit_content(office, b.id, ContentEdit.typed(title="Mới"))


def test_deleting_an_unknown_item_changes_nothing(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    first = result.items[0]
    with pytest.raises(NotFoundError, match="999"):
        delete_items(office, [first.id, 999], NOW)
    with office.unit_of_work() as uow:
        assert uow.items.get(first.id).id == first.id


def test_merging_joins_texts_and_withdraws_approval(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    a, b = [i for i in result.items if i.kind is ItemKind.PROPAGANDA][:2]
    edit_script(office, a.id, "Kịch bản một.")
    approve_item(office, a.id, "Phó Chủ tịch", NOW)
    edit_script(office, b.id, "Kịch bản hai.")
    merged, removed = merge_items(office, [b.id, a.id], NOW)
    assert merged.id == a.id and merged.title == a.title  # the first in the document
    assert a.text.strip() in merged.text and b.text.strip() in merged.text
    assert merged.script == "Kịch bản một.\n\nKịch bản hai."
    assert merged.approval.state is ApprovalState.DRAFT
    assert merged.passage == (a.passage_start, b.passage_end)
    assert [i.id for i in removed.deleted] == [b.id]
    with pytest.raises(InputError, match="two items"):
        merge_items(office, [a.id], NOW)


def test_items_of_two_documents_are_not_merged(office, repo_dir):
    _e, one = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    _e, two = _import(
        office, repo_dir / "schedules" / "guidance" / "2026-05_cong-van-phong-chong-thien-tai.txt"
    )
    with pytest.raises(InputError, match="different documents"):
        merge_items(office, [one.items[0].id, two.items[0].id], NOW)


def test_splitting_makes_a_second_draft_after_the_first(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    item = next(i for i in result.items if len(i.text.splitlines()) >= 2)
    lines = item.text.splitlines(keepends=True)
    at = len(lines[0])
    first, second = split_item(office, item.id, at)
    assert first.text == lines[0].strip()
    assert second.title == lines[1].strip()[:200]
    assert second.position == item.position + 1 and second.approval.state is ApprovalState.DRAFT
    with office.unit_of_work() as uow:
        ordered = [i.id for i in uow.items.list(directive_id=item.directive_id)]
    assert ordered.index(second.id) == ordered.index(first.id) + 1
    with pytest.raises(InputError, match="inside its text"):
        split_item(office, first.id, 0)


def test_changing_kind_withdraws_an_approval(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    item = next(i for i in result.items if i.kind is ItemKind.PROPAGANDA)
    edit_script(office, item.id, "Kịch bản.")
    approve_item(office, item.id, "Phó Chủ tịch", NOW)
    ((changed, withdrawn),) = set_kind(office, [item.id], ItemKind.ADMINISTRATIVE)
    assert changed.kind is ItemKind.ADMINISTRATIVE and withdrawn
    assert not changed.approval.approved
    ((back, withdrawn),) = set_kind(office, [item.id], ItemKind.PROPAGANDA)
    assert back.kind is ItemKind.PROPAGANDA and not withdrawn


def test_content_edits_are_read_and_bad_lines_named():
    edit = ContentEdit.typed(
        basis="Công văn số 123/UBND-VHXH ngày 05/5/2026 của UBND xã Đắk Mil",
        slogans="Diệt lăng quăng!\n\nDiệt lăng quăng!\nĐậy kín dụng cụ chứa nước",
        observances="Ngày Quốc khánh - 02/9\nNgày bầu cử: 15/3/2026",
    )
    (ref,) = edit.basis
    assert ref.number == "123/UBND-VHXH" and ref.date.isoformat() == "2026-05-05"
    assert edit.slogans == ("Diệt lăng quăng!", "Đậy kín dụng cụ chứa nước")
    assert [(o.name, o.month, o.day, o.year) for o in edit.observances] == [
        ("Ngày Quốc khánh", 9, 2, None),
        ("Ngày bầu cử", 3, 15, 2026),
    ]
    with speaking(translations("vi")), pytest.raises(InputError) as bad:
        ContentEdit.typed(basis="Công văn số 12/UBND\nlàm theo hướng dẫn")
    with speaking(translations("vi")):
        assert "dòng 2" in str(bad.value)
    with pytest.raises(InputError, match="line 1"):
        ContentEdit.typed(observances="Ngày lạ - 31/2")
    with pytest.raises(InputError, match="needs a name and a date"):
        ContentEdit.typed(observances="chỉ có tên")


def test_sending_back_keeps_the_comment_until_the_script_changes(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    item = next(i for i in result.items if i.kind is ItemKind.PROPAGANDA)
    edit_script(office, item.id, "Kịch bản có số liệu cũ.")
    approver = _user(Role.APPROVER, "KV-DAKMIL")
    assert item.id in [w.item.id for w in approval_queue(office, approver)]
    returned = send_back(office, item.id, "Phó Chủ tịch", NOW, "  Sửa số liệu   năm 2026 ")
    assert returned.approval.state is ApprovalState.RETURNED
    assert returned.approval.note == "Sửa số liệu năm 2026" and returned.approval.by
    assert item.id not in [w.item.id for w in approval_queue(office, approver)]
    with pytest.raises(InputError, match="empty"):
        send_back(office, item.id, "Phó Chủ tịch", NOW, "   ")
    redone, withdrawn = edit_script(office, item.id, "Kịch bản đã sửa.")
    assert withdrawn and redone.approval.state is ApprovalState.DRAFT
    assert item.id in [w.item.id for w in approval_queue(office, approver)]


def test_guidance_belongs_to_its_office_and_those_above(office, repo_dir):
    _extracted, result = _import(office, repo_dir / "schedules" / "guidance" / GUIDANCE)
    directive = result.directives[0]
    district = _user(Role.OFFICE, "KV-DAKMIL")
    commune = _user(Role.OFFICE, "XA-DAKMIL")
    admin = _user(Role.ADMIN, "KV-DAKMIL")
    assert [d.id for d in directives_for(office, district)] == [directive.id]
    assert directives_for(office, commune) == []
    assert directives_for(office, admin)[0].text is None  # lists leave the text out
    assert check_directive(office, district, directive.id).text
    with pytest.raises(NotFoundError):
        check_directive(office, commune, directive.id)
    # imported at no office: an administrator's alone
    with office.unit_of_work() as uow:
        uow.directives.add(replace(directive, id=None, office_code=None, source_sha256="x"))
    assert len(directives_for(office, district)) == 1
    assert len(directives_for(office, admin)) == 2
