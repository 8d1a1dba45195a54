"""Pages of the evaluations (/emulation/evaluations/)."""

from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.evaluation_page, name="evaluation"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("scores/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/new/", views.scorecard_add, name="scorecard_add"),
    path("scorecards/<int:pk>/", views.scorecard_page, name="scorecard"),
    path("scorecards/<int:pk>/edit/", views.scorecard_edit, name="scorecard_edit"),
    path("scorecards/<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("scorecards/<int:pk>/activate/", views.scorecard_activate, name="scorecard_activate"),
    path("scorecards/<int:pk>/copy/", views.scorecard_copy, name="scorecard_copy"),
    path("sections/<int:pk>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/new/", views.thresholds_add, name="thresholds_add"),
]
