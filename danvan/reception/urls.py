"""Pages of the reception module: the reception register and the leaders' reception days."""

from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<str:code>/", views.register_page, name="register"),
    path("units/<str:code>/print/", views.register_print, name="print"),
    path("units/<str:code>/register.xlsx", views.register_xlsx, name="xlsx"),
    path("units/<str:code>/new/", views.entry_add, name="entry_add"),
    path("units/<str:code>/days/", views.days_page, name="days"),
    path("units/<str:code>/setting/", views.setting_save, name="setting"),
    path("entries/<int:pk>/", views.entry_page, name="entry"),
    path("entries/<int:pk>/handle/", views.entry_handle, name="entry_handle"),
    path("entries/<int:pk>/follow-up/", views.entry_follow_up, name="entry_follow_up"),
    path("days/<int:pk>/log/", views.day_log, name="day_log"),
    path("days/<int:pk>/remove/", views.day_remove, name="day_remove"),
]
