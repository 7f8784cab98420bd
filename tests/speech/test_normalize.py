"""Vietnamese text normalisation: what a listener hears must be what an announcer would say."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadcaster.domain.errors import InputError
from broadcaster.speech.normalize import (
    NormalizeOptions,
    load_abbreviations,
    normalize_text,
    read_number,
)

SOUTH = NormalizeOptions(dialect="south")
SPELL = NormalizeOptions(document_codes="spell")
DIGIT = re.compile(r"[0-9]")

# The seven sentences of issue 4's "Done when", read as a northern announcer would.
DONE_WHEN = [
    (
        "Ngày 26/6 là Ngày toàn dân phòng, chống ma túy.",
        "Ngày hai mươi sáu tháng sáu là Ngày toàn dân phòng, chống ma túy.",
    ),
    (
        "Tính đến ngày 09/5/2021, toàn tỉnh ghi nhận 37 trường hợp mắc tại 8/8 huyện.",
        "Tính đến ngày chín tháng năm năm hai nghìn không trăm hai mươi mốt, toàn tỉnh ghi nhận"
        " ba mươi bảy trường hợp mắc tại tám trên tám huyện.",
    ),
    (
        "cả nước ghi nhận 22.074 trường hợp mắc bệnh sốt xuất huyết",
        "cả nước ghi nhận hai mươi hai nghìn không trăm bảy mươi tư trường hợp mắc bệnh sốt xuất huyết",
    ),
    ("giảm 65,4%", "giảm sáu mươi lăm phẩy bốn phần trăm"),
    ("Phát lúc 17h30", "Phát lúc mười bảy giờ ba mươi phút"),
    ("Ban Chấp hành Trung ương Đảng khóa XII", "Ban Chấp hành Trung ương Đảng khóa mười hai"),
    (
        "theo Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh",
        "theo Kế hoạch số ba trăm năm mươi ba ngày mười bốn tháng năm năm hai nghìn không trăm"
        " hai mươi mốt của Ủy ban nhân dân tỉnh",
    ),
]


@pytest.mark.parametrize(("text", "spoken"), DONE_WHEN)
def test_issue_sentences_read_as_a_listener_would_say_them(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


# Sentences and lines taken verbatim from the seed guidance documents (002 Trà Vinh, 003 Đắk Nông).
SEED_SENTENCES = [
    (
        "Số: 3717 /UBND-VX",
        "Số: ba nghìn bảy trăm mười bảy",
    ),
    (
        "Duyên Hải, ngày 03 tháng 11 năm 2021",
        "Duyên Hải, ngày ba tháng mười một năm hai nghìn không trăm hai mươi mốt",
    ),
    (
        "V/v triển khai thực hiện Kế hoạch Truyền thông",
        "Về việc triển khai thực hiện Kế hoạch Truyền thông",
    ),
    (
        "Ủy ban nhân dân thị xã nhận được Kế hoạch số 46/KH-STTTT-TTBCXB ngày 01/11/2021 của Sở Thông tin và Truyền thông tỉnh",
        "Ủy ban nhân dân thị xã nhận được Kế hoạch số bốn mươi sáu ngày một tháng mười một năm hai nghìn không trăm hai mươi mốt của Sở Thông tin và Truyền thông tỉnh",
    ),
    (
        "về Đề án “Xây dựng xã hội học tập giai đoạn 2022 - 2030” trên địa bàn tỉnh Trà Vinh",
        "về Đề án “Xây dựng xã hội học tập giai đoạn hai nghìn không trăm hai mươi hai đến hai nghìn không trăm ba mươi” trên địa bàn tỉnh Trà Vinh",
    ),
    (
        "- Giám đốc Trung tâm Văn hoá - Thông tin và Thể thao thị xã;",
        "Giám đốc Trung tâm Văn hoá, Thông tin và Thể thao thị xã;",
    ),
    (
        "- TT. Thị ủy, TT. HĐND thị xã;",
        "Thường trực Thị ủy, Thường trực Hội đồng nhân dân thị xã;",
    ),
    (
        "- CT và các PCT. UBND thị xã;",
        "Chủ tịch và các Phó Chủ tịch Ủy ban nhân dân thị xã;",
    ),
    (
        "- Lưu: VT, NC (Diễm).",
        "Lưu: Văn thư, Nghiên cứu (Diễm).",
    ),
    (
        "Số: 46 /KH-STTTT-TTBCXB",
        "Số: bốn mươi sáu",
    ),
    (
        "Trà Vinh, ngày 01 tháng 11 năm 2021",
        "Trà Vinh, ngày một tháng mười một năm hai nghìn không trăm hai mươi mốt",
    ),
    (
        "Căn cứ Quyết định số 1307/QĐ-BTTTT ngày 27/8/2021 của Bộ Thông tin và Truyền thông về việc ban hành Kế hoạch truyền thông về Đề án “Xây dựng xã hội học tập giai đoạn 2021 - 2030”.",
        "Căn cứ Quyết định số một nghìn ba trăm linh bảy ngày hai mươi bảy tháng tám năm hai nghìn không trăm hai mươi mốt của Bộ Thông tin và Truyền thông về việc ban hành Kế hoạch truyền thông về Đề án “Xây dựng xã hội học tập giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm ba mươi”.",
    ),
    (
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Một. MỤC ĐÍCH, YÊU CẦU",
    ),
    (
        "II. NỘI DUNG, PHƯƠNG THỨC VÀ THỜI GIAN THÔNG TIN, TUYÊN TRUYỀN",
        "Hai. NỘI DUNG, PHƯƠNG THỨC VÀ THỜI GIAN THÔNG TIN, TUYÊN TRUYỀN",
    ),
    (
        "Nội dung Quyết định số 489/QĐ-TTg ngày 08/4/2020 của Thủ tướng Chính phủ ban hành Kế hoạch thực hiện Kết luận số 49-KL/TW ngày 10/5/2019 của Ban Bí thư Trung ương Đảng khóa XII",
        "Nội dung Quyết định số bốn trăm tám mươi chín ngày tám tháng tư năm hai nghìn không trăm hai mươi của Thủ tướng Chính phủ ban hành Kế hoạch thực hiện Kết luận số bốn mươi chín ngày mười tháng năm năm hai nghìn không trăm mười chín của Ban Bí thư Trung ương Đảng khóa mười hai",
    ),
    (
        "về tiếp tục thực hiện Chỉ thị số 11-CT/TW ngày 13/4/2007 của Bộ Chính trị khóa X về tăng cường sự lãnh đạo của Đảng",
        "về tiếp tục thực hiện Chỉ thị số mười một ngày mười ba tháng tư năm hai nghìn không trăm linh bảy của Bộ Chính trị khóa mười về tăng cường sự lãnh đạo của Đảng",
    ),
    (
        "Quyết định số 1373/QĐ-TTg ngày 30/7/2021 của Thủ tướng Chính phủ phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2021 - 2030”.",
        "Quyết định số một nghìn ba trăm bảy mươi ba ngày ba mươi tháng bảy năm hai nghìn không trăm hai mươi mốt của Thủ tướng Chính phủ phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm ba mươi”.",
    ),
    (
        "Giai đoạn năm 2022 - 2030.",
        "Giai đoạn năm hai nghìn không trăm hai mươi hai đến hai nghìn không trăm ba mươi.",
    ),
    (
        "III. TỔ CHỨC THỰC HIỆN",
        "Ba. TỔ CHỨC THỰC HIỆN",
    ),
    (
        "2.1. Sở Giáo dục và Đào tạo",
        "Hai chấm một. Sở Giáo dục và Đào tạo",
    ),
    (
        "2.5. Các Sở, Ban, ngành tỉnh; UBND các huyện, thị xã, thành phố",
        "Hai chấm năm. Các Sở, Ban, ngành tỉnh; Ủy ban nhân dân các huyện, thị xã, thành phố",
    ),
    (
        "thông tin trên các bản tin, tài liệu không kinh doanh, các tài liệu tuyên truyền đặt tại điểm bưu điện-văn hóa xã;",
        "thông tin trên các bản tin, tài liệu không kinh doanh, các tài liệu tuyên truyền đặt tại điểm bưu điện văn hóa xã;",
    ),
    (
        "- Phối hợp với Ban Tuyên giáo, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội cùng cấp hướng dẫn lực lượng báo cáo viên",
        "Phối hợp với Ban Tuyên giáo, Mặt trận Tổ quốc và các tổ chức chính trị, xã hội cùng cấp hướng dẫn lực lượng báo cáo viên",
    ),
    (
        "- Bộ TT&TT (thay b/c);",
        "Bộ Thông tin và Truyền thông (thay báo cáo);",
    ),
    (
        "- UBND tỉnh (thay b/c);",
        "Ủy ban nhân dân tỉnh (thay báo cáo);",
    ),
    (
        "- Báo Trà Vinh, Đài PTTH Trà Vinh;",
        "Báo Trà Vinh, Đài Phát thanh Truyền hình Trà Vinh;",
    ),
    (
        "- BGĐ Sở;",
        "Ban Giám đốc Sở;",
    ),
    (
        "- Trang TTĐT Sở;",
        "Trang thông tin điện tử Sở;",
    ),
    (
        "- Lưu: VT, TTBCXB.",
        "Lưu: Văn thư, Thông tin, Báo chí, Xuất bản.",
    ),
    (
        "**KT. GIÁM ĐỐC",
        "Ký thay GIÁM ĐỐC",
    ),
    (
        "V/v hướng dẫn một số nội dung tuyên",
        "Về việc hướng dẫn một số nội dung tuyên",
    ),
    (
        "truyền (Từ tuần 4, tháng 5/2021)",
        "truyền (Từ tuần bốn, tháng năm năm hai nghìn không trăm hai mươi mốt)",
    ),
    (
        "Đắk Nông, ngày tháng 5 năm 2021",
        "Đắk Nông, ngày tháng năm năm hai nghìn không trăm hai mươi mốt",
    ),
    (
        "- Cổng/trang thông tin điện tử các cơ quan, đơn vị;",
        "Cổng, trang thông tin điện tử các cơ quan, đơn vị;",
    ),
    (
        "- Phòng Văn hóa - Thông tin các huyện, thành phố;",
        "Phòng Văn hóa, Thông tin các huyện, thành phố;",
    ),
    (
        "từ tuần 4- tháng 5 năm 2021, Sở Thông tin và Truyền thông đề nghị các cơ quan báo chí, truyền thông triển khai thực hiện tuyên truyền một số nội dung, cụ thể như sau:",
        "từ tuần bốn, tháng năm năm hai nghìn không trăm hai mươi mốt, Sở Thông tin và Truyền thông đề nghị các cơ quan báo chí, truyền thông triển khai thực hiện tuyên truyền một số nội dung, cụ thể như sau:",
    ),
    (
        "1. Tuyên truyền phòng, chống sốt xuất huyết (theo Công văn số 2390/UBND-KGVX ngày 17/5/2021 của UBND tỉnh)",
        "Một. Tuyên truyền phòng, chống sốt xuất huyết (theo Công văn số hai nghìn ba trăm chín mươi ngày mười bảy tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "Theo thông tin từ Bộ Y tế, từ đầu năm 2021 đến nay cả nước ghi nhận 22.074 trường hợp mắc bệnh sốt xuất huyết, trong đó 05 trường hợp tử vong: Phú Yên (2), Bình Dương (1), Sóc Trăng (1), TPHCM (1).",
        "Theo thông tin từ Bộ Y tế, từ đầu năm hai nghìn không trăm hai mươi mốt đến nay cả nước ghi nhận hai mươi hai nghìn không trăm bảy mươi tư trường hợp mắc bệnh sốt xuất huyết, trong đó năm trường hợp tử vong: Phú Yên (hai), Bình Dương (một), Sóc Trăng (một), Thành phố Hồ Chí Minh (một).",
    ),
    (
        "So với cùng kỳ năm 2020, số người mắc bệnh sốt xuất huyết, giảm 12,7%, tuy nhiên số tử vong tăng 02 trường hợp.",
        "So với cùng kỳ năm hai nghìn không trăm hai mươi, số người mắc bệnh sốt xuất huyết, giảm mười hai phẩy bảy phần trăm, tuy nhiên số tử vong tăng hai trường hợp.",
    ),
    (
        "Tại tỉnh Đắk Nông, tính đến ngày 09/5/2021, toàn tỉnh ghi nhận 37 trường hợp mắc tại 8/8 huyện, thành phố: Đắk Song (12 ca), Đắk Glong (07 ca), Cư Jút (07 ca), Krông Nô (03 ca), Gia Nghĩa (03 ca), Đắk Mil (02 ca), Tuy Đức (02 ca), Đắk R'Lấp (01 ca); không có trường hợp tử vong, so với cùng kỳ năm 2020, số người mắc giảm 65,4%.",
        "Tại tỉnh Đắk Nông, tính đến ngày chín tháng năm năm hai nghìn không trăm hai mươi mốt, toàn tỉnh ghi nhận ba mươi bảy trường hợp mắc tại tám trên tám huyện, thành phố: Đắk Song (mười hai ca), Đắk Glong (bảy ca), Cư Jút (bảy ca), Krông Nô (ba ca), Gia Nghĩa (ba ca), Đắk Mil (hai ca), Tuy Đức (hai ca), Đắk R'Lấp (một ca); không có trường hợp tử vong, so với cùng kỳ năm hai nghìn không trăm hai mươi, số người mắc giảm sáu mươi lăm phẩy bốn phần trăm.",
    ),
    (
        "2. Tuyên truyền Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” (theo Kế hoạch số 347/KH-BCĐ ngày 13/5/2021 của Ban chỉ đạo phong trào toàn dân đoàn kết xây dựng đời sống văn hóa)",
        "Hai. Tuyên truyền Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” (theo Kế hoạch số ba trăm bốn mươi bảy ngày mười ba tháng năm năm hai nghìn không trăm hai mươi mốt của Ban chỉ đạo phong trào toàn dân đoàn kết xây dựng đời sống văn hóa)",
    ),
    (
        "3. Tuyên truyền Tháng hành động vì trẻ em (theo Kế hoạch số 338/KH-UBND ngày 07/5/2021 của UBND tỉnh)",
        "Ba. Tuyên truyền Tháng hành động vì trẻ em (theo Kế hoạch số ba trăm ba mươi tám ngày bảy tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "Nhằm tuyên truyền tháng hành động vì trẻ em năm 2021 theo đúng quy định tại Thông tư số 28/2019/TT-BLĐTBXH ngày 26 tháng 12 năm 2019 của Bộ Lao động - Thương binh và Xã hội về việc hướng dẫn tổ chức Tháng hành động vì trẻ em.",
        "Nhằm tuyên truyền tháng hành động vì trẻ em năm hai nghìn không trăm hai mươi mốt theo đúng quy định tại Thông tư số hai mươi tám năm hai nghìn không trăm mười chín ngày hai mươi sáu tháng mười hai năm hai nghìn không trăm mười chín của Bộ Lao động, Thương binh và Xã hội về việc hướng dẫn tổ chức Tháng hành động vì trẻ em.",
    ),
    (
        "4. Tuyên truyền Phòng, chống và loại trừ bệnh Sốt rét (theo Kế hoạch số 340/KH-UBND ngày 10/5/2021 của UBND tỉnh)",
        "Bốn. Tuyên truyền Phòng, chống và loại trừ bệnh Sốt rét (theo Kế hoạch số ba trăm bốn mươi ngày mười tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "Tuyên truyền hưởng ứng Ngày thế giới phòng, chống Sốt rét 25/4 hàng năm nhằm nâng cao nhận thức của cộng đồng",
        "Tuyên truyền hưởng ứng Ngày thế giới phòng, chống Sốt rét hai mươi lăm tháng tư hàng năm nhằm nâng cao nhận thức của cộng đồng",
    ),
    (
        "5. Tuyên truyền ngày Gia đình Việt Nam và Tháng hành động Quốc gia về phòng, chống bạo lực gia đình (theo Hướng dẫn số 04/HD-SVHTTDL ngày 18/5/2021 của Sở Văn hóa, Thể thao và Du lịch)",
        "Năm. Tuyên truyền ngày Gia đình Việt Nam và Tháng hành động Quốc gia về phòng, chống bạo lực gia đình (theo Hướng dẫn số bốn ngày mười tám tháng năm năm hai nghìn không trăm hai mươi mốt của Sở Văn hóa, Thể thao và Du lịch)",
    ),
    (
        "bình đẳng giới, phòng, chống bạo lực gia đình với Chủ đề: “*Gia đình bình an - xã hội hạnh phúc*”.",
        "bình đẳng giới, phòng, chống bạo lực gia đình với Chủ đề: “Gia đình bình an, xã hội hạnh phúc”.",
    ),
    (
        "6. Tuyên truyền cuộc thi khởi nghiệp tỉnh Đắk Nông (theo Công văn số 890/SHK-TTĐT ngày 14/5/2020 của Sở Kế hoạch và Đầu tư)",
        "Sáu. Tuyên truyền cuộc thi khởi nghiệp tỉnh Đắk Nông (theo Công văn số tám trăm chín mươi ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi của Sở Kế hoạch và Đầu tư)",
    ),
    (
        "Nhằm tuyên truyền nâng cao nhận thức về tầm quan trọng của khởi nghiệp trong phát triển kinh tế - xã hội của tỉnh",
        "Nhằm tuyên truyền nâng cao nhận thức về tầm quan trọng của khởi nghiệp trong phát triển kinh tế, xã hội của tỉnh",
    ),
    (
        "7. Tuyên truyền các hoạt động hưởng ứng Ngày Môi trường thế giới và Ngày Quốc tế Đa dạng sinh học (theo Công văn số 1055/STNMT-BVMT ngày 19/5/2021 của Sở Tài và Môi trường)",
        "Bảy. Tuyên truyền các hoạt động hưởng ứng Ngày Môi trường thế giới và Ngày Quốc tế Đa dạng sinh học (theo Công văn số một nghìn không trăm năm mươi lăm ngày mười chín tháng năm năm hai nghìn không trăm hai mươi mốt của Sở Tài và Môi trường)",
    ),
    (
        "Cổng thông tin điện tử của Bộ Tài nguyên và Môi trường, địa chỉ <http://www.monre.gov.vn/>; Trung tâm Truyền thông tài nguyên và môi trường, địa chỉ <https://monremedia.vn/>;",
        "Cổng thông tin điện tử của Bộ Tài nguyên và Môi trường, địa chỉ monre chấm giê o vê chấm vê en; Trung tâm Truyền thông tài nguyên và môi trường, địa chỉ monremedia chấm vê en;",
    ),
    (
        "Ban công ước về đa dạng sinh học, địa chỉ: [https:// www.cbd.int/biodiversity-day](https://www.cbd.int/biodiversity-day); trang thông tin điện tử của Sở Tài nguyên và Môi trường, địa chỉ: <http://stnmt.daknong.gov.vn>.",
        "Ban công ước về đa dạng sinh học, địa chỉ: xê bê dê chấm i en tê; trang thông tin điện tử của Sở Tài nguyên và Môi trường, địa chỉ: ét tê en em tê chấm daknong chấm giê o vê chấm vê en.",
    ),
    (
        "8. Tuyên truyền một số dự án trên địa bàn tỉnh (theo Công văn số 2376/UBND-KTN ngày 17/5/2021 của UBND tỉnh)",
        "Tám. Tuyên truyền một số dự án trên địa bàn tỉnh (theo Công văn số hai nghìn ba trăm bảy mươi sáu ngày mười bảy tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "đồng thời UBND tỉnh sẽ đảm bảo thực hiện việc giải phóng mặt bằng cho các hộ dân theo đúng quy định của nhà nước.",
        "đồng thời Ủy ban nhân dân tỉnh sẽ đảm bảo thực hiện việc giải phóng mặt bằng cho các hộ dân theo đúng quy định của nhà nước.",
    ),
    (
        "9. Tuyên truyền toàn dân tập luyện môn bơi, phòng chống đuối nước trẻ em (theo Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh)",
        "Chín. Tuyên truyền toàn dân tập luyện môn bơi, phòng chống đuối nước trẻ em (theo Kế hoạch số ba trăm năm mươi ba ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "10. Tuyên truyền thực tập phương án chữa cháy và cứu nạn, cứu hộ có huy động nhiều lực lượng, phương tiện năm 2021 (theo Kế hoạch số 361/KH-BTC ngày 20/5/2021 của BTC các hoạt động kỷ niệm 309)",
        "Mười. Tuyên truyền thực tập phương án chữa cháy và cứu nạn, cứu hộ có huy động nhiều lực lượng, phương tiện năm hai nghìn không trăm hai mươi mốt (theo Kế hoạch số ba trăm sáu mươi mốt ngày hai mươi tháng năm năm hai nghìn không trăm hai mươi mốt của Ban Tổ chức các hoạt động kỷ niệm ba trăm linh chín)",
    ),
    (
        "phát huy phương châm 4 tại chỗ “Chỉ huy tại chỗ, lực lượng tại chỗ, phương tiện tại chỗ và hậu cần tại chỗ”;",
        "phát huy phương châm bốn tại chỗ “Chỉ huy tại chỗ, lực lượng tại chỗ, phương tiện tại chỗ và hậu cần tại chỗ”;",
    ),
    (
        "11. Tuyên truyền Lễ kỷ niệm 60 năm Ngày truyền thống lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ và 20 năm Ngày toàn dân",
        "Mười một. Tuyên truyền Lễ kỷ niệm sáu mươi năm Ngày truyền thống lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ và hai mươi năm Ngày toàn dân",
    ),
    (
        "Nhằm tuyên truyền Lễ kỷ niệm nhằm ôn lại và tôn vinh truyền thống vẻ vang qua 60 năm xây dựng, trưởng thành của lực lượng Cảnh sát PCCC và CNCH và 20 năm Ngày toàn dân PCCC;",
        "Nhằm tuyên truyền Lễ kỷ niệm nhằm ôn lại và tôn vinh truyền thống vẻ vang qua sáu mươi năm xây dựng, trưởng thành của lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ và hai mươi năm Ngày toàn dân phòng cháy, chữa cháy;",
    ),
    (
        "xây dựng lực lượng Cảnh sát PCCC và CNCH cách mạng, chính quy, tinh nhuệ, từng bước hiện đại",
        "xây dựng lực lượng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ cách mạng, chính quy, tinh nhuệ, từng bước hiện đại",
    ),
    (
        "12. Tuyên truyền các hoạt động kỷ niệm 60 năm Ngày truyền thống ngành Dân số Việt Nam (theo Kế hoạch số 344/KH-UBND ngày 11/5/2021)",
        "Mười hai. Tuyên truyền các hoạt động kỷ niệm sáu mươi năm Ngày truyền thống ngành Dân số Việt Nam (theo Kế hoạch số ba trăm bốn mươi tư ngày mười một tháng năm năm hai nghìn không trăm hai mươi mốt)",
    ),
    (
        "về tầm quan trọng của công tác dân số - kế hoạch hóa gia đình (DS-KHHGD) đối với sức khỏe của mỗi người dân",
        "về tầm quan trọng của công tác dân số, kế hoạch hóa gia đình đối với sức khỏe của mỗi người dân",
    ),
    (
        "theo tinh thần Nghị quyết số 21-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII về công tác dân số trong tình hình mới",
        "theo tinh thần Nghị quyết số hai mươi mốt ngày hai mươi lăm tháng mười năm hai nghìn không trăm mười bảy của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa mười hai về công tác dân số trong tình hình mới",
    ),
    (
        "các Nghị quyết, Chiến lược, Chương trình và Đề án đến năm 2030 đã được Thủ tướng Chính phủ phê duyệt",
        "các Nghị quyết, Chiến lược, Chương trình và Đề án đến năm hai nghìn không trăm ba mươi đã được Thủ tướng Chính phủ phê duyệt",
    ),
    (
        "13. Tuyên truyền phòng, chống buôn lậu, vận chuyển, kinh doanh doanh trái phép thuốc lá xì gà (theo Công văn 279/TTCS-TTTH ngày 10/5/2021 của Cục Thông tin cơ sở)",
        "Mười ba. Tuyên truyền phòng, chống buôn lậu, vận chuyển, kinh doanh doanh trái phép thuốc lá xì gà (theo Công văn hai trăm bảy mươi chín ngày mười tháng năm năm hai nghìn không trăm hai mươi mốt của Cục Thông tin cơ sở)",
    ),
    (
        "14. Tuyên truyền ngăn ngừa sử dụng các sản phẩm thuốc lá mới (theo Công văn số 2083/UBND-KGVX ngày 29/4/2021 của UBND tỉnh)",
        "Mười bốn. Tuyên truyền ngăn ngừa sử dụng các sản phẩm thuốc lá mới (theo Công văn số hai nghìn không trăm tám mươi ba ngày hai mươi chín tháng tư năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "15. Tuyên truyền phòng, chống HIV/AIDS và phòng, chống tệ nạn ma túy, mại dâm",
        "Mười lăm. Tuyên truyền phòng, chống hát i vê ết và phòng, chống tệ nạn ma túy, mại dâm",
    ),
    (
        "Nhằm tuyên truyền giáo dục, phát động mạnh mẽ phong trào quần chúng nhân dân tham gia tố giác tội phạm và tệ nạn ma túy, AIDS, mại dâm.",
        "Nhằm tuyên truyền giáo dục, phát động mạnh mẽ phong trào quần chúng nhân dân tham gia tố giác tội phạm và tệ nạn ma túy, ết, mại dâm.",
    ),
    (
        "tổ chức các hoạt động hưởng ứng “Tháng hành động phòng, chống ma túy” và “Ngày toàn dân phòng, chống ma túy - 26/6”;",
        "tổ chức các hoạt động hưởng ứng “Tháng hành động phòng, chống ma túy” và “Ngày toàn dân phòng, chống ma túy, hai mươi sáu tháng sáu”;",
    ),
    (
        "16. Tuyên truyền chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững (theo Kế hoạch số 310/KH-UBND ngày 26/4/2021 của UBND tỉnh)",
        "Mười sáu. Tuyên truyền chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững (theo Kế hoạch số ba trăm mười ngày hai mươi sáu tháng tư năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "17. Tuyên truyền bảo vệ an ninh quốc gia, đảm bảo trật tự an toàn xã hội trong lĩnh vực du lịch trong tình hình mới (theo Kế hoạch số 334/KH-UBND ngày 06/5/2021 của UBND tỉnh)",
        "Mười bảy. Tuyên truyền bảo vệ an ninh quốc gia, đảm bảo trật tự an toàn xã hội trong lĩnh vực du lịch trong tình hình mới (theo Kế hoạch số ba trăm ba mươi tư ngày sáu tháng năm năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "18. Tuyên truyền kết nối, khai thác, sử dụng hiệu quả Cơ sở dữ liệu quốc gia về dân cư (theo Kế hoạch số 182/KH-UBND ngày 09/4/2021 của UBND tỉnh)",
        "Mười tám. Tuyên truyền kết nối, khai thác, sử dụng hiệu quả Cơ sở dữ liệu quốc gia về dân cư (theo Kế hoạch số một trăm tám mươi hai ngày chín tháng tư năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "Nhằm tuyên truyền Nghị định số 137/2015/NĐ-CP ngày 21/12/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước công dân;",
        "Nhằm tuyên truyền Nghị định số một trăm ba mươi bảy năm hai nghìn không trăm mười lăm ngày hai mươi mốt tháng mười hai năm hai nghìn không trăm mười lăm của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước công dân;",
    ),
    (
        "Quyết định số 896/QĐ-TTg ngày 08/6/2013 của Thủ tướng Chính phủ phê duyệt Đề án tổng thể đơn giản hóa thủ tục hành chính, giấy tờ công dân;",
        "Quyết định số tám trăm chín mươi sáu ngày tám tháng sáu năm hai nghìn không trăm mười ba của Thủ tướng Chính phủ phê duyệt Đề án tổng thể đơn giản hóa thủ tục hành chính, giấy tờ công dân;",
    ),
    (
        "Chỉ thị số 07/CT-TTg ngày 13/3/2017 của Thủ tướng Chính phủ về việc tăng cường phối hợp triển khai xây dựng Cơ sở dữ liệu quốc gia về dân cư",
        "Chỉ thị số bảy ngày mười ba tháng ba năm hai nghìn không trăm mười bảy của Thủ tướng Chính phủ về việc tăng cường phối hợp triển khai xây dựng Cơ sở dữ liệu quốc gia về dân cư",
    ),
    (
        "Quyết định số 1368/QĐ-TTg ngày 03/9/2020 của Thủ tướng Chính phủ phê duyệt chủ trương đầu tư Dự án sản xuất, cấp và quản lý Căn cước công dân.",
        "Quyết định số một nghìn ba trăm sáu mươi tám ngày ba tháng chín năm hai nghìn không trăm hai mươi của Thủ tướng Chính phủ phê duyệt chủ trương đầu tư Dự án sản xuất, cấp và quản lý Căn cước công dân.",
    ),
    (
        "19. Tuyên truyền chuyển đổi số ngành Thư viện (theo Kế hoạch số 176/KH-UBND ngày 06/4/2021 của UBND tỉnh)",
        "Mười chín. Tuyên truyền chuyển đổi số ngành Thư viện (theo Kế hoạch số một trăm bảy mươi sáu ngày sáu tháng tư năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân tỉnh)",
    ),
    (
        "nội dung “Chương trình chuyển đổi số ngành thư viện đến năm 2025, định hướng đến năm 2030” trên địa bàn tỉnh",
        "nội dung “Chương trình chuyển đổi số ngành thư viện đến năm hai nghìn không trăm hai mươi lăm, định hướng đến năm hai nghìn không trăm ba mươi” trên địa bàn tỉnh",
    ),
    (
        "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị báo chí, truyền thông tổ chức thực hiện thông tin, tuyên truyền các nội dung trên đầy đủ, có hiệu quả./",
        "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị báo chí, truyền thông tổ chức thực hiện thông tin, tuyên truyền các nội dung trên đầy đủ, có hiệu quả.",
    ),
    (
        "- Như trên (t/h);",
        "Như trên (thực hiện);",
    ),
    (
        "- Cục TTCS;",
        "Cục Thông tin cơ sở;",
    ),
    (
        "- UBND tỉnh (b/c);",
        "Ủy ban nhân dân tỉnh (báo cáo);",
    ),
    (
        "- Sở VH TT & DL; Sở LĐ TB & XH;",
        "Sở Văn hóa, Thể thao và Du lịch; Sở Lao động, Thương binh và Xã hội;",
    ),
    (
        "- Sở KH & ĐT, Sở TN & MT;",
        "Sở Kế hoạch và Đầu tư, Sở Tài nguyên và Môi trường;",
    ),
    (
        "- Trang TTĐT Sở TTTT;",
        "Trang thông tin điện tử Sở Thông tin và Truyền thông;",
    ),
]


@pytest.mark.parametrize(("text", "spoken"), SEED_SENTENCES)
def test_seed_sentences_read_as_an_announcer_would(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


def test_there_are_at_least_sixty_seed_sentences() -> None:
    assert len(SEED_SENTENCES) >= 60


# --- numbers --------------------------------------------------------------------------------

NUMBERS_NORTH = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (309, "ba trăm linh chín"),
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1055, "một nghìn không trăm năm mươi lăm"),
    (2021, "hai nghìn không trăm hai mươi mốt"),
    (10_000, "mười nghìn"),
    (22_074, "hai mươi hai nghìn không trăm bảy mươi tư"),
    (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_010, "một triệu không trăm mười"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (2_500_000, "hai triệu năm trăm nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_200_000_000, "một tỷ hai trăm triệu"),
    (3_000_000_000_000, "ba nghìn tỷ"),
]


@pytest.mark.parametrize(("n", "words"), NUMBERS_NORTH)
def test_numbers_are_read_the_northern_way(n: int, words: str) -> None:
    assert read_number(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (105, "một trăm lẻ năm"),
        (1005, "một ngàn không trăm lẻ năm"),
        (24, "hai mươi bốn"),
        (22_074, "hai mươi hai ngàn không trăm bảy mươi bốn"),
        (2021, "hai ngàn không trăm hai mươi mốt"),
    ],
)
def test_numbers_are_read_the_southern_way(n: int, words: str) -> None:
    assert read_number(n, "south") == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "cả nước ghi nhận 22.074 trường hợp",
            "cả nước ghi nhận hai mươi hai ngàn không trăm bảy mươi bốn trường hợp",
        ),
        ("kỷ niệm 309 năm", "kỷ niệm ba trăm lẻ chín năm"),
        (
            "giai đoạn 2021 - 2026",
            "giai đoạn hai ngàn không trăm hai mươi mốt đến hai ngàn không trăm hai mươi sáu",
        ),
        ("thứ 4, tháng 4", "thứ tư, tháng tư"),
    ],
)
def test_southern_dialect_sentences(text: str, spoken: str) -> None:
    assert normalize_text(text, SOUTH) == spoken


# --- the other forms issue 4 lists ----------------------------------------------------------

FORMS = [
    # decimals, percentages, money
    ("tăng 0,05%", "tăng không phẩy không năm phần trăm"),
    ("số Pi là 3,14", "số Pi là ba phẩy mười bốn"),
    ("đạt 100%", "đạt một trăm phần trăm"),
    ("hỗ trợ 1.500.000 đồng", "hỗ trợ một triệu năm trăm nghìn đồng"),
    ("kinh phí 2,5 tỷ đồng", "kinh phí hai phẩy năm tỷ đồng"),
    ("mức 50.000 đồng/người", "mức năm mươi nghìn đồng mỗi người"),
    ("uống 2 lần/ngày", "uống hai lần mỗi ngày"),
    # dates and ranges
    ("ngày 02 tháng 02 năm 2021", "ngày hai tháng hai năm hai nghìn không trăm hai mươi mốt"),
    ("từ 15/5-22/5", "từ mười lăm tháng năm đến hai mươi hai tháng năm"),
    (
        "kỷ niệm 19/5/1890-19/5/2020",
        "kỷ niệm mười chín tháng năm năm một nghìn tám trăm chín mươi đến mười chín tháng năm"
        " năm hai nghìn không trăm hai mươi",
    ),
    ("ngày 31/12/2025", "ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi lăm"),
    ("ngày 01.6.2021", "ngày một tháng sáu năm hai nghìn không trăm hai mươi mốt"),
    ("tháng 1 và tháng 12", "tháng một và tháng mười hai"),
    ("trong tháng 5/2021", "trong tháng năm năm hai nghìn không trăm hai mươi mốt"),
    ("từ 7-10 ngày", "từ bảy đến mười ngày"),
    ("Ngày 20-11 hằng năm", "Ngày hai mươi tháng mười một hằng năm"),
    ("ngày 15-16/5", "ngày mười lăm đến mười sáu tháng năm"),
    ("nhiệt độ 37-39°C", "nhiệt độ ba mươi bảy đến ba mươi chín độ xê"),
    ("mưa 100-200 mm", "mưa một trăm đến hai trăm mi li mét"),
    ("trẻ từ 6-59 tháng tuổi", "trẻ từ sáu đến năm mươi chín tháng tuổi"),
    ("số 12 đường 3/2", "số mười hai đường ba tháng hai"),
    ("bản đồ tỷ lệ 1:500", "bản đồ tỷ lệ một trên năm trăm"),
    # times
    ("lúc 05:30", "lúc năm giờ ba mươi phút"),
    ("lúc 5 giờ 30", "lúc năm giờ ba mươi"),
    ("từ 7h30-11h", "từ bảy giờ ba mươi phút đến mười một giờ"),
    ("phát lúc 06h00", "phát lúc sáu giờ"),
    ("tiếp âm lúc 21h30'", "tiếp âm lúc hai mươi mốt giờ ba mươi phút"),
    ("lúc 17h05 phút", "lúc mười bảy giờ năm phút"),
    # ratios and fractions, told apart from dates
    ("đạt 13/13 xã", "đạt mười ba trên mười ba xã"),
    ("có 45/50 hộ tham gia", "có bốn mươi lăm trên năm mươi hộ tham gia"),
    ("trực 24/24 giờ", "trực hai mươi tư trên hai mươi tư giờ"),
    ("gần 2/3 số hộ", "gần hai phần ba số hộ"),
    ("ngày 8/8", "ngày tám tháng tám"),
    ("nhà số 5/3 ngõ 12", "nhà số năm trên ba ngõ mười hai"),
    # ordinals and Roman numerals
    ("Thứ 2, thứ 7 và Chủ nhật", "Thứ hai, thứ bảy và Chủ nhật"),
    ("lần thứ 1", "lần thứ nhất"),
    ("Đại hội lần thứ XIII của Đảng", "Đại hội lần thứ mười ba của Đảng"),
    ("Quốc hội khóa XV, kỳ họp thứ 5", "Quốc hội khóa mười lăm, kỳ họp thứ năm"),
    ("Phần I, Chương IV, Mục II", "Phần một, Chương bốn, Mục hai"),
    ("trong quý II/2021", "trong quý hai năm hai nghìn không trăm hai mươi mốt"),
    ("thế kỷ XXI", "thế kỷ hai mươi mốt"),
    ("IV. TỔ CHỨC THỰC HIỆN", "Bốn. TỔ CHỨC THỰC HIỆN"),
    # units
    ("lượng mưa 150 mm", "lượng mưa một trăm năm mươi mi li mét"),
    ("gió giật 60 km/h", "gió giật sáu mươi ki lô mét trên giờ"),
    ("nhiệt độ 35°C", "nhiệt độ ba mươi lăm độ xê"),
    ("nhiệt độ -5°C", "nhiệt độ âm năm độ xê"),
    ("diện tích 1.200 ha", "diện tích một nghìn hai trăm héc ta"),
    ("cách bờ 3 km", "cách bờ ba ki lô mét"),
    ("nặng 2,5 kg", "nặng hai phẩy năm ki lô gam"),
    ("sâu 3 m", "sâu ba mét"),
    ("rộng 12 m2", "rộng mười hai mét vuông"),
    # phone numbers, digit by digit
    ("gọi 114", "gọi một một bốn"),
    ("Tổng đài 1022", "Tổng đài một không hai hai"),
    ("số điện thoại 0912 345 678", "số điện thoại không chín một hai, ba bốn năm, sáu bảy tám"),
    ("ĐT: 0261.3544.123", "điện thoại: không hai sáu một, ba năm bốn bốn, một hai ba"),
    ("liên hệ 0912345678", "liên hệ không chín một hai, ba bốn năm, sáu bảy tám"),
    ("đường dây nóng 1900 9095", "đường dây nóng một chín không không, chín không chín năm"),
    ("tổng mức 190000000000 đồng", "tổng mức một trăm chín mươi tỷ đồng"),  # not a 1900 line
    ("chuyển 18000001 đồng", "chuyển mười tám triệu không trăm linh một đồng"),  # written whole
    ("gọi 1800 1567", "gọi một tám không không, một năm sáu bảy"),
    # document numbers without a code to spell
    ("Luật số 77/2015/QH13", "Luật số bảy mươi bảy năm hai nghìn không trăm mười lăm"),
    ("Chỉ thị 05-CT/TW", "Chỉ thị năm"),
    # abbreviations, the parenthesised repeat, slashes between words
    ("Ủy ban nhân dân (UBND) tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Ban Chỉ đạo (BCĐ) tỉnh", "Ban Chỉ đạo tỉnh"),
    ("Bộ Thông tin và Truyền thông (TT&TT)", "Bộ Thông tin và Truyền thông"),
    ("Mặt trận Tổ quốc Việt Nam (MTTQVN)", "Mặt trận Tổ quốc Việt Nam"),
    ("theo Quyết định của Thủ tướng (TTg)", "theo Quyết định của Thủ tướng"),
    ("Ủy ban nhân dân tỉnh (HĐND)", "Ủy ban nhân dân tỉnh (Hội đồng nhân dân)"),
    ("UBND, HĐND và MTTQ xã", "Ủy ban nhân dân, Hội đồng nhân dân và Mặt trận Tổ quốc xã"),
    ("công tác PCTT và TKCN", "công tác phòng, chống thiên tai và tìm kiếm cứu nạn"),
    ("Sở VHTTDL, Sở KH&ĐT", "Sở Văn hóa, Thể thao và Du lịch, Sở Kế hoạch và Đầu tư"),
    (
        "thẻ BHYT cho học sinh THCS và THPT",
        "thẻ bảo hiểm y tế cho học sinh trung học cơ sở và trung học phổ thông",
    ),
    ("lực lượng CSGT bảo đảm ATGT", "lực lượng cảnh sát giao thông bảo đảm an toàn giao thông"),
    ("thôn/bon/buôn", "thôn, bon, buôn"),
    ("tuyến QL14 và TL684", "tuyến Quốc lộ mười bốn và Tỉnh lộ sáu trăm tám mươi tư"),
    ("dịch COVID-19", "dịch Cô vít mười chín"),
    ("cúm A/H5N1", "cúm a hát năm en một"),
    ("bệnh nhân F0", "bệnh nhân ép không"),
    ("ông Nguyễn Văn B", "ông Nguyễn Văn bê"),
    # URLs and e-mail
    ("xem tại https://daknong.gov.vn/tin-tuc.", "xem tại daknong chấm giê o vê chấm vê en."),
    ("gửi về vanthu@daknong.gov.vn", "gửi về vanthu a còng daknong chấm giê o vê chấm vê en"),
    # capitals at the start of a sentence, markdown, bullets
    ("37 trường hợp. 12 ca nặng.", "Ba mươi bảy trường hợp. Mười hai ca nặng."),
    ("- **Như trên**;", "Như trên;"),
]


@pytest.mark.parametrize(("text", "spoken"), FORMS)
def test_forms_listed_in_issue_4(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


# --- document codes: drop (default) or spell -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dropped", "spelt"),
    [
        (
            "Kế hoạch số 353/KH-UBND",
            "Kế hoạch số ba trăm năm mươi ba",
            "Kế hoạch số ba trăm năm mươi ba trên ca hát gạch u bê en dê",
        ),
        (
            "Nghị quyết số 21-NQ/TW",
            "Nghị quyết số hai mươi mốt",
            "Nghị quyết số hai mươi mốt gạch en cu trên tê vê kép",
        ),
        (
            "Nghị định số 137/2015/NĐ-CP",
            "Nghị định số một trăm ba mươi bảy năm hai nghìn không trăm mười lăm",
            "Nghị định số một trăm ba mươi bảy trên hai nghìn không trăm mười lăm trên en đê gạch xê pê",
        ),
        (
            "Thông tư số 28/2019/TT-BLĐTBXH",
            "Thông tư số hai mươi tám năm hai nghìn không trăm mười chín",
            "Thông tư số hai mươi tám trên hai nghìn không trăm mười chín trên tê tê gạch bê e lờ đê tê bê ích hát",
        ),
        (
            "Quyết định số 489/QĐ-TTg",
            "Quyết định số bốn trăm tám mươi chín",
            "Quyết định số bốn trăm tám mươi chín trên cu đê gạch tê tê giê",
        ),
        ("Số: /STTTT-TTBCXB", "Số:", "Số: trên ét tê tê tê tê gạch tê tê bê xê ích bê"),
    ],
)
def test_document_codes_are_dropped_or_spelt(text: str, dropped: str, spelt: str) -> None:
    assert normalize_text(text) == dropped
    assert normalize_text(text, SPELL) == spelt
    assert not DIGIT.search(normalize_text(text, SPELL))


# --- edge cases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("", ""),
        ("   ", ""),
        ("...", "..."),
        ("!?", "!?"),
        ("“”", "“”"),
        ("\n\n", "\n\n"),
        ("- ", ""),
    ],
)
def test_empty_and_punctuation_only_input(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


def test_one_line_in_gives_one_line_out() -> None:
    text = "Ngày 26/6\nPhát lúc 17h30\n\nUBND xã 8/8 thôn\r\ncuối"
    out = normalize_text(text)
    assert out.split("\n") == [
        "Ngày hai mươi sáu tháng sáu",
        "Phát lúc mười bảy giờ ba mươi phút",
        "",
        "Ủy ban nhân dân xã tám trên tám thôn",
        "cuối",
    ]


def test_decomposed_input_gives_nfc_output() -> None:
    text = unicodedata.normalize("NFD", "Ủy ban nhân dân (UBND) tỉnh khóa XII ngày 14/5/2021")
    out = normalize_text(text)
    assert out == unicodedata.normalize("NFC", out)
    assert (
        out
        == "Ủy ban nhân dân tỉnh khóa mười hai ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt"
    )


def test_a_fifty_thousand_character_script_is_read_whole() -> None:
    lines: list[str] = []
    spoken: list[str] = []
    while sum(len(line) + 1 for line in lines) < 50_000:
        lines += [text for text, _ in SEED_SENTENCES]
        spoken += [words for _, words in SEED_SENTENCES]
    text = "\n".join(lines)
    assert len(text) >= 50_000
    assert normalize_text(text).split("\n") == spoken


def test_a_fifty_thousand_character_single_line_is_read_whole() -> None:
    text = " ".join(text for text, _ in SEED_SENTENCES) * 8
    assert len(text) >= 50_000
    out = normalize_text(text)
    assert "\n" not in out
    assert not DIGIT.search(out)
    assert len(out) > len(text)


def test_seed_documents_come_out_without_digits_or_abbreviations(seeds_dir: Path) -> None:
    table = load_abbreviations()
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out = normalize_text(text)
        assert out.count("\n") == text.count("\n"), path.name
        assert not DIGIT.search(out), path.name
        assert not _surviving(out, table), path.name


# --- properties ----------------------------------------------------------------------------------

ABBREVIATIONS = load_abbreviations()


def _surviving(out: str, table: dict[str, str]) -> list[str]:
    found = []
    for key in table:
        body = re.escape(key).replace(r"\ ", r"\s+")
        if re.search(rf"(?<!\w){body}(?!\w)", out):
            found.append(key)
    return found


@pytest.mark.parametrize("key", sorted(ABBREVIATIONS))
def test_no_listed_abbreviation_survives(key: str) -> None:
    for text in (f"Theo {key} tỉnh.", f"({key}) xã", f"{key}, {key}; {key}"):
        out = normalize_text(text)
        assert not _surviving(out, {key: ""}), (text, out)
        assert not DIGIT.search(out)


def test_the_dictionary_has_what_issue_4_and_the_brief_name() -> None:
    required = [
        "UBND",
        "HĐND",
        "MTTQ",
        "PCCC",
        "CNCH",
        "PCTT",
        "TKCN",
        "BCĐ",
        "TTg",
        "QĐ",
        "KH",
        "CV",
        "VHTTDL",
        "TT&TT",
        "TTTT",
        "BTTTT",
        "NĐ-CP",
        "TT",
        "HIV",
        "AIDS",
        "BHYT",
        "THCS",
        "THPT",
        "CSGT",
        "ATGT",
        "TPHCM",
        "TTCS",
        "TTĐT",
        "BGĐ",
        "PTTH",
        "KT.",
        "PCT.",
        "TT.",
        "V/v",
        "b/c",
        "t/h",
    ]
    missing = [key for key in required if key not in ABBREVIATIONS]
    assert not missing


TOKENS = [
    "26/6", "09/5/2021", "8/8", "huyện", "22.074", "65,4%", "17h30", "khóa", "XII", "353/KH-UBND",
    "UBND", "HĐND", "PCCC", "TT&TT", "(UBND)", "2021", "-", "–", "/", "2022 - 2030", "15/5-22/5",
    "0912 345 678", "0261.3544.123", "km/h", "150", "mm", "°C", "thứ", "4", "tháng", "12", "(2)",
    "(12 ca)", "HIV/AIDS", "Cổng/trang", "ngày", "số", "21-NQ/TW", "137/2015/NĐ-CP", ".", ",",
    "05:30", "1.000.000", "3,14", "http://www.monre.gov.vn/", "V/v", "ABC", "F0", "12h", "x",
    "99/99", "0/0", "1.2.3", "00", "007", "12345678901234567890", "II.", "IV", "Đắk", "R'Lấp",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", "", "\n", " - "]))
def test_combined_tokens_never_leave_digits_or_abbreviations(tokens: list[str], sep: str) -> None:
    text = sep.join(tokens)
    for options in (NormalizeOptions(), SOUTH, SPELL):
        out = normalize_text(text, options)
        assert not DIGIT.search(out), (text, out)
        assert out.count("\n") == text.count("\n")
        assert unicodedata.is_normalized("NFC", out)
        assert not _surviving(out, ABBREVIATIONS), (text, out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 ./,-–:%()hgHđĐăâêôơưáàảãạ\nabcABCXIV&°'’“”+*#_", max_size=80))
def test_arbitrary_text_never_leaves_digits(text: str) -> None:
    out = normalize_text(text)
    assert not DIGIT.search(out), (text, out)
    assert out.count("\n") == text.count("\n")
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_every_number_is_words_without_digits(n: int) -> None:
    for dialect in ("north", "south"):
        words = read_number(n, dialect)
        assert words and not DIGIT.search(words)
        assert "  " not in words
    assert normalize_text(str(n)) == read_number(n)[0].upper() + read_number(n)[1:]


# --- the abbreviation file ---------------------------------------------------------------------


def test_an_extra_dictionary_adds_overrides_and_removes(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        "[abbreviations]\n"
        '"XDPTTTHVVTĐ" = "xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"\n'
        '"TT" = "Trung tâm"\n'
        '"CV" = ""\n',
        encoding="utf-8",
    )
    options = NormalizeOptions(abbreviations_file=extra)
    assert normalize_text("BCĐ tỉnh và XDPTTTHVVTĐ", options) == (
        "Ban Chỉ đạo tỉnh và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"
    )
    assert normalize_text("TT Y tế", options) == "Trung tâm Y tế"
    assert normalize_text("theo CV đã gửi", options) == "theo xê vê đã gửi"
    table = load_abbreviations(extra)
    assert table["TT"] == "Trung tâm" and "CV" not in table and table["UBND"] == "Ủy ban nhân dân"
    # the default dictionary is untouched
    assert normalize_text("TT Y tế") == "thông tư Y tế"


def test_an_edited_dictionary_file_is_read_again(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[abbreviations]\n"ABC" = "a bê xê"\n', encoding="utf-8")
    options = NormalizeOptions(abbreviations_file=extra)
    assert normalize_text("ABC", options) == "a bê xê"
    extra.write_text('[abbreviations]\n"ABC" = "Công ty An Bình Cường"\n', encoding="utf-8")
    assert normalize_text("ABC", options) == "Công ty An Bình Cường"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[abbreviations\n", "TOML không hợp lệ"),
        ('"UBND" = "x"\n', "không có bảng [abbreviations]"),
        ("[abbreviations]\nUBND = 3\n", 'abbreviations."UBND" là int'),
        ('[abbreviations]\n"XYZ" = "số 5"\n', "có chữ số"),
        ('[abbreviations]\n"XYZ" = "thuộc UBND"\n', 'có từ viết tắt "UBND"'),
    ],
)
def test_a_bad_dictionary_file_is_refused_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as info:
        normalize_text("UBND", NormalizeOptions(abbreviations_file=extra))
    assert str(extra) in str(info.value)


def test_a_missing_dictionary_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError, match="không đọc được tệp từ viết tắt"):
        normalize_text("UBND", NormalizeOptions(abbreviations_file=missing))
    with pytest.raises(InputError, match="không đọc được tệp từ viết tắt"):
        load_abbreviations(missing)
