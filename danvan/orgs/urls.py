from django.urls import path

from . import views, views_exchange

app_name = "orgs"
urlpatterns = [
    # Tree browser, unit pages and restructuring (views.py)
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("units/pick/", views.unit_pick, name="unit_pick"),
    path("u/<str:code>/", views.unit_detail, name="unit_detail"),
    path("u/<str:code>/children/", views.children, name="children"),
    path("u/<str:code>/new-child/", views.unit_create, name="unit_create"),
    path("u/<str:code>/change/", views.unit_change, name="unit_change"),
    path("u/<str:code>/move/", views.unit_move, name="unit_move"),
    path("u/<str:code>/merge/", views.unit_merge, name="unit_merge"),
    path("u/<str:code>/split/", views.unit_split, name="unit_split"),
    path("u/<str:code>/dissolve/", views.unit_dissolve, name="unit_dissolve"),
    path("u/<str:code>/lead/", views.lead_assign, name="lead_assign"),
    path("u/<str:code>/regulation/", views.regulation_set, name="regulation_set"),
    path("u/<str:code>/regulation/file/", views.regulation_file, name="regulation_file"),
    path("groups/", views.group_list, name="group_list"),
    # Import and export (views_exchange.py)
    path("import/", views_exchange.import_upload, name="import_upload"),
    path("import/<int:pk>/", views_exchange.import_detail, name="import_detail"),
    path("export/", views_exchange.export, name="export"),
]
