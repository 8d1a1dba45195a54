"""Pages of the People's Inspection Board register (/activities/boards/)."""

from django.urls import path

from . import views

app_name = "boards"
urlpatterns = [
    path("", views.home, name="home"),
    path("boards.xlsx", views.boards_xlsx, name="xlsx"),
    path("missing/", views.missing, name="missing"),
    path("new/", views.board_add, name="board_add"),
    path("<int:pk>/", views.board_page, name="board"),
    path("<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("<int:pk>/recommendations/new/", views.recommendation_add, name="recommendation_add"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("recommendations/<int:pk>/answer/", views.recommendation_answer, name="recommendation_answer"),
    path("recommendations/<int:pk>/close/", views.recommendation_close, name="recommendation_close"),
]
