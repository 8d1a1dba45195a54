"""The fixed words of a review report: a party document's prescribed form, in Vietnamese whatever the
reader's language (like the catalogue's names). Sentences take their figures already formatted
(1.673, 73,5 %); placeholders in brackets are the parts the official writes."""

# Header and signature (Hướng dẫn 36-HD/VPTW).
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
STAR = "*"
DOCUMENT_KIND = "BÁO CÁO"
SEMI_ANNUAL = "Sơ kết"
ANNUAL = "Tổng kết"
FIRST_HALF = "6 tháng đầu"
SECOND_HALF = "6 tháng cuối"
ON_BEHALF = "T/M BAN THƯỜNG VỤ"
ON_BEHALF_CELL = "T/M CHI BỘ"
SECRETARY = "BÍ THƯ"
NAME_PLACEHOLDER = "[Họ và tên]"
PLACE_PLACEHOLDER = "[Địa danh]"
SUPERIOR_PLACEHOLDER = "[Tên cơ quan cấp trên trực tiếp]"
RECIPIENTS = "Nơi nhận:"
TO_SUPERIOR = "- %(superior)s (để báo cáo),"
SUPERIOR_RECIPIENT_PLACEHOLDER = "[Cơ quan cấp trên trực tiếp]"
TO_BELOW = "- Các tổ chức đảng trực thuộc,"
TO_FILE = "- Lưu Văn phòng."
# A superior's committee named as its party organisation: "Đảng ủy Khối …" → "Đảng bộ Khối …".
COMMITTEE_TO_BODY = [("Đảng ủy", "Đảng bộ"), ("Đảng uỷ", "Đảng bộ")]

# Header and signature of a state body's document (Nghị định 30/2020/NĐ-CP, Phụ lục I).
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
STATE_SUPERIOR_PLACEHOLDER = "[Tên cơ quan, tổ chức chủ quản trực tiếp]"
STATE_ON_BEHALF = "TM. %(body)s"
STATE_SIGNER_TITLE = "[CHỨC VỤ NGƯỜI KÝ]"
STATE_TO_SUPERIOR = "- %(superior)s (để báo cáo);"
STATE_TO_BELOW = "- Các cơ quan, đơn vị trực thuộc;"
STATE_TO_FILE = "- Lưu: VT."
# Words of a state body's name that end the kind of body its abbreviation is made of
# ("Ủy ban nhân dân tỉnh Đồng Nai" → "UBND").
PLACE_LEVELS = ["xã", "phường", "thị", "huyện", "quận", "thành", "tỉnh", "khối"]

# Body.
INTRO = (
    "%(unit)s báo cáo %(subject)s (từ ngày %(start)s đến ngày %(end)s) theo số liệu tổng hợp "
    "trên hệ thống đến ngày lập báo cáo như sau:"
)
PART_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
SECTION_LEADERSHIP = "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền, quán triệt"
SECTION_TARGETS = "2. Kết quả thực hiện các chỉ tiêu"
SECTION_VOICE = "3. Tiếp nhận, giải quyết ý kiến, kiến nghị của nhân dân"
SECTION_ACTIVITIES = "4. Hoạt động dân vận"
SECTION_EMULATION = "5. Phong trào thi đua “Dân vận khéo”, khen thưởng"
PART_LIMITATIONS = "II. HẠN CHẾ, NGUYÊN NHÂN"
PART_TASKS = "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"
LIMITATIONS_PLACEHOLDER = "[Hạn chế, nguyên nhân]"
TASKS_PLACEHOLDER = "[Nhiệm vụ thời gian tới]"
CLOSING = "Trên đây là báo cáo %(subject)s của %(unit)s."
NO_DATA = (
    "Đến ngày lập báo cáo, hệ thống chưa có số liệu nào của %(unit)s trong %(period)s "
    "(chưa có báo cáo được duyệt, chưa có hồ sơ phát sinh); báo cáo không nêu số liệu."
)
NO_SECTION_DATA = "Trong kỳ chưa có số liệu về %(topic)s."
TOPIC_LEADERSHIP = "việc triển khai, học tập, quán triệt văn bản"
TOPIC_VOICE = "tiếp nhận, giải quyết ý kiến, kiến nghị, đơn thư của nhân dân"
TOPIC_ACTIVITIES = "đối thoại, sinh hoạt chuyên đề, tập huấn và hòa giải ở cơ sở"
TOPIC_EMULATION = "mô hình “Dân vận khéo” và khen thưởng"
NO_TARGETS = "Trong kỳ chưa có chỉ tiêu được giao có số liệu để đánh giá."

STUDY_RECEIVED = (
    "Các văn bản về công tác dân vận được triển khai đến các đơn vị với %(received)s lượt văn bản"
)
STUDY_DONE = "; các đơn vị đã tổ chức học tập, quán triệt %(studied)s lượt"
REACHING = ", đạt %(rate)s"
STUDY_COMMITTEES = (
    "Có %(complete)s/%(committees)s cấp ủy được triển khai văn bản đã tổ chức học tập, quán triệt "
    "đầy đủ, đạt %(rate)s."
)

TARGETS_SUMMARY = (
    "Trong %(count)s chỉ tiêu được giao, có %(met)s chỉ tiêu đạt và %(missed)s chỉ tiêu chưa đạt."
)
TARGETS_SUMMARY_NONE_MET = (
    "Trong %(count)s chỉ tiêu được giao, chưa có chỉ tiêu nào đạt, %(missed)s chỉ tiêu chưa đạt."
)
TARGETS_UNKNOWN = "; %(count)s chỉ tiêu chưa có số liệu."
TARGET_LINE = "- %(indicator)s: %(value)s (chỉ tiêu %(target)s), %(verdict)s"
TARGET_BELOW_LINE = "- %(indicator)s: %(value)s; %(met)s/%(count)s đơn vị được giao chỉ tiêu đã đạt"
MET = "đạt chỉ tiêu"
NOT_MET = "chưa đạt chỉ tiêu"
NO_FIGURE = "chưa có số liệu để đánh giá"
NO_FIGURE_VALUE = "chưa có số liệu"
UNITS_MISSED = "; %(count)s đơn vị chưa đạt: %(units)s"
MET_SHORT = "Đạt"
NOT_MET_SHORT = "Chưa đạt"
NO_FIGURE_SHORT = "Chưa có số liệu"

RECEIVED = "Trong kỳ đã tiếp nhận "
SUGGESTIONS = "%(count)s ý kiến góp ý của nhân dân"
ANSWERED = " (đã trả lời %(count)s ý kiến)"
NONE_ANSWERED = " (chưa trả lời ý kiến nào)"
CASE_KINDS = [
    ("PETITIONS_RECEIVED", "%(count)s kiến nghị, phản ánh"),
    ("COMPLAINTS_RECEIVED", "%(count)s đơn khiếu nại"),
    ("DENUNCIATIONS_RECEIVED", "%(count)s đơn tố cáo"),
]
NOTHING_RECEIVED = "Trong kỳ không tiếp nhận ý kiến, kiến nghị, đơn thư nào của nhân dân."
RESOLVED = "Đã giải quyết %(count)s vụ việc khiếu nại, tố cáo"
ON_TIME = ", trong đó %(on_time)s vụ việc đúng thời hạn (%(rate)s)"
LATE = " và %(late)s vụ việc quá hạn"
NONE_LATE = ", không có vụ việc quá hạn"

DIALOGUES = "Tổ chức %(count)s cuộc đối thoại giữa người đứng đầu với cán bộ, nhân dân."
CONFERENCES = "Các cơ quan, đơn vị tổ chức %(count)s hội nghị cán bộ, công chức, viên chức."
CELL_MEETINGS = "Có %(count)s chi bộ sinh hoạt chuyên đề về công tác dân vận"
OF_CELLS = " trên tổng số %(cells)s chi bộ, đạt %(rate)s"
TRAINING = "Mở %(count)s lớp tập huấn, bồi dưỡng công tác dân vận"
PARTICIPANTS = " với %(count)s lượt người tham gia"
MEDIATION = "Hòa giải ở cơ sở %(count)s vụ việc"
MEDIATION_SUCCESS = ", hòa giải thành %(count)s vụ việc, đạt %(rate)s"

EXEMPLARS_LEAD = "Phong trào thi đua “Dân vận khéo”: "
EXEMPLARS = [
    ("EXEMPLARS_REGISTERED", "%(count)s mô hình đăng ký"),
    ("EXEMPLARS_RECOGNISED", "%(count)s mô hình được công nhận"),
    ("EXEMPLARS_REPLICATED", "%(count)s lượt nhân rộng mô hình"),
]
COMMENDED = (
    "Khen thưởng %(collectives)s tập thể và %(individuals)s cá nhân có thành tích trong công tác dân vận."
)

ELEMENT_CODES = [
    "STUDY_RECEIVED",
    "STUDY_ORGANISED",
    "STUDY_COMMITTEES",
    "STUDY_COMMITTEES_ORGANISED",
    "SUGGESTIONS_RECEIVED",
    "SUGGESTIONS_ANSWERED",
    "PETITIONS_RECEIVED",
    "COMPLAINTS_RECEIVED",
    "DENUNCIATIONS_RECEIVED",
    "CASES_RESOLVED",
    "CASES_RESOLVED_ON_TIME",
    "DIALOGUES_HELD",
    "CELLS_TOTAL",
    "CELLS_WITH_THEMATIC_MEETING",
    "TRAINING_CLASSES",
    "TRAINING_PARTICIPANTS",
    "MEDIATION_CASES",
    "MEDIATION_SUCCESSFUL",
    "EXEMPLARS_REGISTERED",
    "EXEMPLARS_RECOGNISED",
    "EXEMPLARS_REPLICATED",
    "COMMENDED_COLLECTIVES",
    "COMMENDED_INDIVIDUALS",
]

# Annex.
ANNEX_TITLE = "PHỤ LỤC"
ANNEX_SUBJECT = "Kết quả thực hiện các chỉ tiêu của các đơn vị trực thuộc"
ANNEX_ATTACHED = "(Kèm theo Báo cáo %(symbol)s, ngày %(day)s của %(issuer)s)"
ANNEX_HEADINGS = ["STT", "Đơn vị", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Đánh giá"]
ANNEX_NUMERATOR = "Tử số"
ANNEX_DENOMINATOR = "Mẫu số"
ANNEX_UNIT = "Đơn vị tính"
ANNEX_MET_COUNT = "Số chỉ tiêu đạt"
ANNEX_LEGEND = "✓: đạt chỉ tiêu; ✗: chưa đạt; —: chưa có số liệu."
MARK_MET = "✓"
MARK_MISSED = "✗"
NO_FIGURE_MARK = "—"
ANNEX_EMPTY = "Không có số liệu chỉ tiêu của các đơn vị trong kỳ."
