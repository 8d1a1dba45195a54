"""User and role management pages, under /accounts/ as before (namespace `administration`)."""

from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
