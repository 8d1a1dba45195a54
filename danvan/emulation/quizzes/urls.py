"""Pages of the quiz bank (/emulation/quizzes/)."""

from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.quiz_detail, name="quiz"),
    path("<int:pk>/start/", views.attempt_start, name="start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="submit"),
    path("manage/", views.quiz_list, name="quizzes"),
    path("manage/new/", views.quiz_create, name="quiz_create"),
    path("manage/<int:pk>/results/", views.results, name="results"),
    path("manage/<int:pk>/edit/", views.quiz_edit, name="quiz_edit"),
    path("manage/<int:pk>/close/", views.quiz_close, name="quiz_close"),
    path("manage/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("bank/", views.bank, name="bank"),
    path("bank/new/", views.question_create, name="question_create"),
    path("bank/import/", views.bank_import, name="import"),
    path("bank/sample.xlsx", views.bank_sample, name="sample"),
    path("bank/<int:pk>/", views.question_detail, name="question"),
    path("bank/<int:pk>/active/", views.question_active, name="question_active"),
]
