"""The built-in unit types and unit groups (administrators may add more)."""

UNIT_TYPES = [
    ("bloc", "Đảng bộ Khối", 10),
    ("committee", "Đảng bộ trực thuộc", 20),
    ("grassroots", "Tổ chức cơ sở đảng", 30),
    ("cell", "Chi bộ", 40),
    ("agency", "Cơ quan, đơn vị", 50),
    ("mass_org", "Đoàn thể chính trị – xã hội", 60),
]

UNIT_GROUPS = [
    ("admin_agency", "Cơ quan hành chính"),
    ("public_service_unit", "Đơn vị sự nghiệp"),
    ("vocational_school", "Trường trung cấp"),
    ("enterprise", "Doanh nghiệp"),
]


def ensure(unit_type_model, unit_group_model) -> None:
    """Create the built-in types and groups that are missing (models passed in: migrations use historical ones)."""
    for code, name, order in UNIT_TYPES:
        unit_type_model.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name in UNIT_GROUPS:
        unit_group_model.objects.get_or_create(code=code, defaults={"name": name})
