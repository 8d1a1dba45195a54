"""The REST API, version 1: each app contributes its routes from its own api module."""

from django.urls import include, path

urlpatterns = [
    path("", include("danvan.orgs.api.urls")),
    path("", include("danvan.search.api_urls")),
    path("", include("danvan.administration.api_urls")),
    path("", include("danvan.reports.api_urls")),
    path("", include("danvan.voice.api_urls")),
    path("", include("danvan.directives.api_urls")),
    path("", include("danvan.programmes.api_urls")),
    path("activities/", include("danvan.activities.workplace.api_urls")),
    path("activities/", include("danvan.activities.boards.api_urls")),
    path("activities/", include("danvan.activities.training.api_urls")),
    path("activities/", include("danvan.activities.dialogues.api_urls")),
    path("activities/", include("danvan.activities.mediation.api_urls")),
    path("activities/", include("danvan.activities.inspections.api_urls")),
    path("activities/", include("danvan.activities.cells.api_urls")),
    path("emulation/", include("danvan.emulation.quizzes.api_urls")),
    path("emulation/", include("danvan.emulation.commendations.api_urls")),
    path("emulation/", include("danvan.emulation.exemplars.api_urls")),
    path("emulation/", include("danvan.emulation.evaluations.api_urls")),
]
