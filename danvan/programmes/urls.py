"""Pages of the action programmes."""

from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/delete/", views.programme_delete, name="delete"),
    path("<int:pk>/timeline/", views.programme_timeline, name="timeline"),
    path("<int:pk>/tasks/new/", views.task_edit, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/", views.task_edit, name="task_edit"),
    path("<int:pk>/tasks/<int:task_pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("occurrences/<int:pk>/", views.occurrence_page, name="occurrence"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
