"""The script check finds what should not go on air, quoting the words in question (the
messages as the office reads them, in Vietnamese)."""

from __future__ import annotations

from broadcaster.domain.messages import render
from broadcaster.domain.script_check import check_script

FIT = (
    "Kính thưa bà con!\n"
    "Đài Truyền thanh xã Nam Bình xin thông tin tới bà con về phòng, chống sốt xuất huyết.\n"
    "Bà con hãy úp ngược các dụng cụ chứa nước, thả cá bảy màu vào chum vại.\n"
    "Hãy cùng hưởng ứng khẩu hiệu:\n"
    "“Không có muỗi, không có sốt xuất huyết”.\n"
    "Đài Truyền thanh xin trân trọng cảm ơn bà con đã lắng nghe!"
)


def shown(script: str) -> list[str]:
    return [str(render(p.message)) for p in check_script(script)]


def test_a_script_fit_to_air_has_no_problems():
    assert check_script(FIT) == []


def test_an_empty_script_is_one_problem():
    (problem,) = check_script("  \n ")
    assert problem.passage == "" and "để trống" in str(render(problem.message))


def test_instructions_meant_for_officials_are_quoted():
    script = (
        "Kính thưa bà con!\n"
        "Tuyên truyền Quyết định số 346/QĐ-TTg của Thủ tướng Chính phủ về phòng chống dịch.\n"
        "Thực hiện phát thanh bài tuyên truyền ba lần mỗi tuần (gửi kèm Công văn này).\n"
        "Xin cảm ơn bà con!"
    )
    problems = check_script(script)
    passages = [p.passage for p in problems]
    assert passages[0].startswith("Tuyên truyền Quyết định số 346/QĐ-TTg")
    assert passages[1].startswith("Thực hiện phát thanh bài tuyên truyền")
    assert len(problems) == 2
    assert all("là lời giao việc cho cơ quan, cán bộ" in m for m in shown(script))


def test_a_script_cut_off_mid_sentence_is_found():
    (problem,) = check_script("Bà con cần đề phòng dịch bệnh sốt xuất….")
    assert problem.passage == "đề phòng dịch bệnh sốt xuất…."  # its last six words
    assert str(render(problem.message)) == (
        "kịch bản dừng giữa câu ở “đề phòng dịch bệnh sốt xuất….”: hãy viết cho hết câu"
    )
    assert [p.passage for p in check_script("Bà con cần đề phòng dịch bệnh")] == [
        "con cần đề phòng dịch bệnh"
    ]


def test_a_source_note_a_web_address_and_a_plan_without_its_number_are_found():
    script = (
        "Thực hiện Kế hoạch, Đài Truyền thanh xin thông tin tới bà con. "
        "Chi tiết xem tại https://nambinh.gov.vn/tin-tuc và www.lamdong.gov.vn. "
        "Bà con hãy đi tiêm phòng đầy đủ (Nguồn: Trung tâm Y tế huyện)."
    )
    passages = [p.passage for p in check_script(script)]
    assert passages == [
        "Thực hiện Kế hoạch",
        "https://nambinh.gov.vn/tin-tuc",
        "www.lamdong.gov.vn",
        "(Nguồn: Trung tâm Y tế huyện)",
    ]


def test_a_plan_with_its_number_and_a_named_resolution_are_not_problems():
    script = (
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/5/2026 của UBND xã, Đài xin thông tin. "
        "Thực hiện Nghị quyết Đại hội Đảng bộ xã, bà con hãy chung tay xây dựng nông thôn mới."
    )
    assert check_script(script) == []
