"""Demo data of the quiz bank: 35 questions at the bloc (DUK) on the seeds' content and the laws the
platform follows, an open quiz for the whole bloc with a few attempts, and one closing in two days.

Every fact is taken from the seeds (/work/shared/seeds) or from PRODUCT.md's "Facts the system must get
right" (Luật Thực hiện dân chủ ở cơ sở 2022, Luật Hòa giải ở cơ sở 2013, Luật Tiếp công dân 2013, Luật
Khiếu nại 2011, Luật Tố cáo 2018, Bộ luật Lao động 2019 Điều 63) and from facts commonly published
about Chủ tịch Hồ Chí Minh's article "Dân vận" (báo Sự thật, 15/10/1949). Nothing here cites an article
number the sources did not give.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from danvan.accounts.actors import System
from danvan.accounts.models import User
from danvan.emulation.quizzes import services
from danvan.emulation.quizzes.models import Question, Quiz
from danvan.orgs.models import Unit

from .data import ROOT_CODE

DEMO = System("danvan demo: quizzes")
DANVAN = "Công tác dân vận"
DEMOCRACY = "Dân chủ ở cơ sở"
VOICE = "Tiếp công dân, khiếu nại, tố cáo"
MEDIATION = "Hòa giải ở cơ sở"
E, M, H = "easy", "medium", "hard"
LAW_DEMOCRACY = "Luật Thực hiện dân chủ ở cơ sở 2022 (Luật số 10/2022/QH15)"

# (topic, difficulty, question, choices, letters of the right ones, source, explanation)
QUESTIONS = [
    (DANVAN, E, "“Dân vận khéo thì việc gì cũng thành công” là lời dạy của ai?",
     ["Chủ tịch Hồ Chí Minh", "Tổng Bí thư Trần Phú", "Đại tướng Võ Nguyên Giáp", "Tổng Bí thư Lê Duẩn"], "A",
     "Bài báo “Dân vận” của Chủ tịch Hồ Chí Minh", ""),
    (DANVAN, E, "Bài báo “Dân vận” của Chủ tịch Hồ Chí Minh được đăng trên báo Sự thật năm nào?",
     ["1945", "1949", "1954", "1969"], "B", "Báo Sự thật, ngày 15/10/1949", ""),
    (DANVAN, E, "Hoàn chỉnh phương châm: “Nghe dân nói, nói dân hiểu, …”",
     ["làm dân tin", "dân làm theo", "dân cùng làm", "dân kiểm tra"], "A",
     "Tài liệu của Đảng ủy Khối các cơ quan Trung ương", ""),
    (DANVAN, E, "Hoàn chỉnh phương châm: “Công tác dân vận phải …”",
     ["đi trước một bước", "đi sau để tổng kết", "chỉ làm khi có vụ việc phức tạp", "do riêng Ban Dân vận thực hiện"],
     "A", "Báo cáo công tác dân vận của cơ quan nhà nước", "Phương châm “Công tác dân vận phải đi trước một bước”."),
    (DANVAN, M, "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng là nghị quyết về nội dung gì?",
     ["Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
      "Xây dựng, chỉnh đốn Đảng", "Công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
      "Cải cách tiền lương"], "A", "Nghị quyết số 25-NQ/TW ngày 03/6/2013", ""),
    (DANVAN, M, "Nghị quyết số 25-NQ/TW về công tác dân vận được Ban Chấp hành Trung ương Đảng khóa nào ban hành?",
     ["Khóa IX", "Khóa X", "Khóa XI", "Khóa XII"], "C", "Nghị quyết số 25-NQ/TW ngày 03/6/2013", ""),
    (DANVAN, M, "Kết luận số 03-KL/TW ngày 13/5/2016 của Ban Bí thư là về tiếp tục thực hiện văn bản nào?",
     ["Quyết định số 290-QĐ/TW của Bộ Chính trị về “Quy chế công tác dân vận của hệ thống chính trị”",
      "Nghị quyết số 25-NQ/TW", "Chỉ thị số 16-CT/TTg", "Nghị định số 04/2015/NĐ-CP"], "A",
     "Kết luận số 03-KL/TW ngày 13/5/2016 của Ban Bí thư", ""),
    (DANVAN, M, "Chỉ thị số 16-CT/TTg ngày 16/5/2016 của Thủ tướng Chính phủ là về nội dung gì?",
     ["Tăng cường và đổi mới công tác dân vận trong các cơ quan hành chính nhà nước, chính quyền các cấp trong tình hình mới",
      "Phòng, chống tham nhũng", "Tổ chức hội nghị cán bộ, công chức", "Công tác thi đua, khen thưởng"], "A",
     "Chỉ thị số 16-CT/TTg ngày 16/5/2016", ""),
    (DANVAN, H, "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ quy định về việc gì?",
     ["Thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước và đơn vị sự nghiệp công lập",
      "Hòa giải ở cơ sở", "Tiếp công dân", "Đối thoại tại nơi làm việc trong doanh nghiệp"], "A",
     "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015", ""),
    (DANVAN, M, "Kết luận số 114-KL/TW về công tác dân vận do cơ quan nào ban hành?",
     ["Ban Bí thư", "Bộ Chính trị", "Quốc hội", "Chính phủ"], "A", "Kết luận số 114-KL/TW của Ban Bí thư", ""),
    (DANVAN, M, "Hoàn chỉnh phong cách: “Trọng dân, gần dân, hiểu dân, …, và có trách nhiệm với dân”.",
     ["học dân", "thương dân", "vì dân", "giúp dân"], "A",
     "Tài liệu của Đảng ủy Khối các cơ quan Trung ương", ""),
    (DANVAN, M, "Phong trào thi đua “Dân vận khéo” xét các mô hình trên những lĩnh vực nào? (chọn mọi đáp án đúng)",
     ["Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng hệ thống chính trị", "Thể thao thành tích cao"],
     "A, B, C, D", "Hướng dẫn phong trào thi đua “Dân vận khéo”", "Bốn lĩnh vực: kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống chính trị."),
    (DANVAN, M, "Năm 2025, Ban Dân vận Trung ương được hợp nhất thành cơ quan nào?",
     ["Ban Tuyên giáo và Dân vận Trung ương", "Ban Tổ chức Trung ương", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
      "Văn phòng Trung ương Đảng"], "A", "Sắp xếp tổ chức bộ máy của hệ thống chính trị năm 2025", ""),
    (DANVAN, H, "Trong phối hợp làm công tác dân vận, cơ quan nào đóng vai trò trung tâm phối hợp, tổ chức nào làm nòng cốt vận động nhân dân? (chọn mọi đáp án đúng)",
     ["Cơ quan nhà nước đóng vai trò trung tâm phối hợp",
      "Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị – xã hội làm nòng cốt",
      "Doanh nghiệp tư nhân đóng vai trò trung tâm phối hợp", "Chỉ Ban Dân vận làm nòng cốt"], "A, B",
     "Báo cáo công tác dân vận của cơ quan nhà nước", ""),
    (DEMOCRACY, E, "Luật Thực hiện dân chủ ở cơ sở có số hiệu nào?",
     ["10/2022/QH15", "35/2013/QH13", "42/2013/QH13", "02/2011/QH13"], "A", LAW_DEMOCRACY, ""),
    (DEMOCRACY, E, "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào?",
     ["01/01/2023", "01/7/2023", "01/01/2024", "01/7/2022"], "B", LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Phương châm nào được nêu trong Luật Thực hiện dân chủ ở cơ sở năm 2022?",
     ["Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng", "Dân biết, dân bàn, dân làm",
      "Dân nghe, dân hiểu, dân theo", "Dân hỏi, dân đáp, dân làm"], "A", LAW_DEMOCRACY, ""),
    (DEMOCRACY, E, "Hội nghị cán bộ, công chức, viên chức của cơ quan, đơn vị được tổ chức bao lâu một lần?",
     ["Hằng năm", "5 năm một lần", "Chỉ khi thay đổi thủ trưởng", "Khi có trên một nửa công chức đề nghị"], "A",
     LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Hội nghị cán bộ, công chức, viên chức được tiến hành khi có ít nhất bao nhiêu người được triệu tập tham dự?",
     ["Một nửa", "Hai phần ba", "Ba phần tư", "Toàn bộ"], "B", LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Nghị quyết hội nghị cán bộ, công chức, viên chức được thông qua khi nào?",
     ["Khi có trên một nửa tổng số người dự hội nghị biểu quyết tán thành", "Khi thủ trưởng đồng ý",
      "Khi có một phần ba số người dự tán thành", "Khi Ban Chấp hành công đoàn tán thành"], "A", LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Ban Thanh tra nhân dân ở cơ quan, đơn vị có bao nhiêu thành viên?",
     ["Từ 03 đến 09 thành viên", "Từ 02 đến 05 thành viên", "Từ 05 đến 15 thành viên", "Không giới hạn"], "A",
     LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Nhiệm kỳ của Ban Thanh tra nhân dân ở cơ quan, đơn vị là bao lâu?",
     ["01 năm", "02 năm", "05 năm", "Theo nhiệm kỳ của thủ trưởng"], "B", LAW_DEMOCRACY, ""),
    (DEMOCRACY, H, "Những người nào không được là thành viên Ban Thanh tra nhân dân của cơ quan, đơn vị? (chọn mọi đáp án đúng)",
     ["Người đứng đầu cơ quan, đơn vị", "Cấp phó của người đứng đầu", "Kế toán trưởng", "Chuyên viên"], "A, B, C",
     LAW_DEMOCRACY, ""),
    (DEMOCRACY, H, "Những nội dung nào cơ quan phải công khai cho cán bộ, công chức, viên chức, người lao động? (chọn mọi đáp án đúng)",
     ["Kế hoạch công tác của cơ quan", "Việc sử dụng kinh phí, tài sản", "Việc tuyển dụng, bổ nhiệm, khen thưởng, kỷ luật",
      "Địa chỉ nhà riêng của từng công chức"], "A, B, C", LAW_DEMOCRACY, ""),
    (DEMOCRACY, M, "Theo Bộ luật Lao động 2019, người sử dụng lao động phải tổ chức đối thoại định kỳ tại nơi làm việc ít nhất bao lâu một lần?",
     ["01 năm một lần", "03 tháng một lần", "06 tháng một lần", "02 năm một lần"], "A",
     "Bộ luật Lao động 2019, Điều 63", ""),
    (VOICE, M, "Theo Luật Tiếp công dân 2013, người đứng đầu cơ quan hành chính tiếp công dân ít nhất bao lâu?",
     ["01 ngày trong 01 tháng", "01 ngày trong 01 tuần", "01 ngày trong 01 quý", "01 ngày trong 01 năm"], "A",
     "Luật Tiếp công dân 2013", ""),
    (VOICE, M, "Thời hiệu khiếu nại theo Luật Khiếu nại 2011 là bao nhiêu ngày kể từ ngày biết được quyết định, hành vi hành chính?",
     ["30 ngày", "60 ngày", "90 ngày", "180 ngày"], "C", "Luật Khiếu nại 2011, Điều 9", ""),
    (VOICE, H, "Trong thời hạn bao nhiêu ngày kể từ ngày nhận được khiếu nại, người có thẩm quyền phải thụ lý giải quyết?",
     ["05 ngày", "10 ngày", "15 ngày", "30 ngày"], "B", "Luật Khiếu nại 2011, Điều 27", ""),
    (VOICE, H, "Thời hạn giải quyết khiếu nại lần đầu (vụ việc không phức tạp, không ở vùng sâu, vùng xa) là bao lâu?",
     ["Không quá 30 ngày kể từ ngày thụ lý", "Không quá 45 ngày kể từ ngày thụ lý", "Không quá 60 ngày kể từ ngày thụ lý",
      "Không quá 90 ngày kể từ ngày thụ lý"], "A", "Luật Khiếu nại 2011, Điều 28", "Vụ việc phức tạp: không quá 45 ngày."),
    (VOICE, H, "Theo Luật Tố cáo 2018, thời hạn giải quyết tố cáo là bao lâu?",
     ["Không quá 30 ngày kể từ ngày thụ lý", "Không quá 15 ngày kể từ ngày nhận", "Không quá 60 ngày kể từ ngày nhận",
      "Không quá 90 ngày kể từ ngày thụ lý"], "A", "Luật Tố cáo 2018, Điều 30",
     "Vụ việc phức tạp được gia hạn một lần, đặc biệt phức tạp hai lần, mỗi lần không quá 30 ngày."),
    (VOICE, E, "Thông tin về người tố cáo (họ tên, địa chỉ, bút tích …) phải được xử lý thế nào?",
     ["Giữ bí mật", "Công khai trên cổng thông tin", "Gửi cho người bị tố cáo", "Niêm yết tại trụ sở"], "A",
     "Luật Tố cáo 2018", ""),
    (MEDIATION, E, "Mỗi tổ hòa giải ở cơ sở có ít nhất bao nhiêu hòa giải viên?",
     ["02", "03, trong đó có hòa giải viên nữ", "05", "07"], "B", "Luật Hòa giải ở cơ sở 2013, Điều 12", ""),
    (MEDIATION, E, "Luật Hòa giải ở cơ sở có số hiệu nào?",
     ["35/2013/QH13", "10/2022/QH15", "25/2018/QH14", "02/2011/QH13"], "A", "Luật Hòa giải ở cơ sở 2013", ""),
    (MEDIATION, M, "Ai ra quyết định công nhận hòa giải viên?",
     ["Chủ tịch Ủy ban nhân dân cấp xã", "Chánh án Tòa án nhân dân", "Trưởng Công an xã", "Bí thư chi bộ"], "A",
     "Luật Hòa giải ở cơ sở 2013, Điều 8", ""),
    (MEDIATION, M, "Mẫu sổ theo dõi hoạt động hòa giải ở cơ sở do cơ quan nào ban hành?",
     ["Bộ Tư pháp", "Bộ Nội vụ", "Bộ Công an", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"], "A",
     "Sổ theo dõi hoạt động hòa giải ở cơ sở", ""),
]  # fmt: skip

TAKERS = ["bithu.stp", "baocao.stp", "tiepdan.stp", "theodoi.syt", "bandanvan"]


def _spec(item) -> services.QuestionSpec:
    topic, difficulty, text, choices, letters, source, explanation = item
    right = {letter.strip() for letter in letters.split(",")}
    return services.QuestionSpec(
        text=text,
        topic=topic,
        difficulty=difficulty,
        choices=[
            services.ChoiceSpec(text=choice, correct="ABCDEF"[i] in right) for i, choice in enumerate(choices)
        ],
        source=source,
        explanation=explanation,
    )


def load() -> int:
    """The bank, two quizzes and a few attempts; how many questions were written (0 when they exist)."""
    root = Unit.objects.filter(code=ROOT_CODE).first()
    if root is None or Question.objects.filter(unit=root).exists():
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        count = services.questions_import(unit=root, specs=[_spec(item) for item in QUESTIONS], by=DEMO)
        year = services.quiz_create(
            spec=services.QuizSpec(
                unit=root,
                title=f"Thi tìm hiểu công tác dân vận năm {today.year}",
                opens_on=today - datetime.timedelta(days=5),
                closes_on=today + datetime.timedelta(days=20),
                minutes=20,
                easy_count=5,
                medium_count=3,
                hard_count=2,
                attempts_allowed=2,
            ),
            by=DEMO,
        )
        services.quiz_create(
            spec=services.QuizSpec(
                unit=root,
                title="Kiểm tra nhanh: Luật Thực hiện dân chủ ở cơ sở",
                opens_on=today - datetime.timedelta(days=1),
                closes_on=today + datetime.timedelta(days=2),
                minutes=10,
                easy_count=2,
                medium_count=3,
                topics=[Question.objects.filter(unit=root, topic__name=DEMOCRACY).first().topic],
            ),
            by=DEMO,
        )
        _attempts(year)
    return count


def _attempts(quiz: Quiz) -> None:
    """A few people took the year's quiz two days ago, each right about as often as `skill`."""
    rng = random.Random(2026)
    started = timezone.now() - datetime.timedelta(days=2)
    for index, username in enumerate(TAKERS[:-1]):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        skill = 0.9 - 0.15 * index
        attempt = services.attempt_start(quiz=quiz, by=user, now=started)
        answers = {}
        for item in attempt.items.select_related("question"):
            choices = list(item.question.choices.order_by("position"))
            right = [c.pk for c in choices if c.correct]
            wrong = [c.pk for c in choices if not c.correct]
            answers[item.question_id] = right if rng.random() < skill or not wrong else [rng.choice(wrong)]
        services.attempt_submit(
            attempt=attempt, answers=answers, by=user, now=started + datetime.timedelta(minutes=8 + index)
        )
