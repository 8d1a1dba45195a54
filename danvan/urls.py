from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from danvan.core import views as core_views

# Swagger UI with its init script served apart (?script) and its page style in a static file: no inline
# script or style. Its own stylesheet draws a few icons as data: images, allowed on this page only.
_api_docs = csp_update({"img-src": [SELF, "data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html")
)

handler500 = "danvan.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("danvan.accounts.urls")),
    path("accounts/", include("danvan.administration.urls")),
    path("orgs/", include("danvan.orgs.urls")),
    path("jobs/", include("danvan.jobs.urls")),
    path("audit/", include("danvan.administration.audit_urls")),
    path("reports/", include("danvan.reports.urls")),
    path("voice/", include("danvan.voice.urls")),
    path("reception/", include("danvan.reception.urls")),
    path("directives/", include("danvan.directives.urls")),
    path("programmes/", include("danvan.programmes.urls")),
    path("activities/workplace/", include("danvan.activities.workplace.urls")),
    path("activities/boards/", include("danvan.activities.boards.urls")),
    path("activities/training/", include("danvan.activities.training.urls")),
    path("activities/dialogues/", include("danvan.activities.dialogues.urls")),
    path("activities/mediation/", include("danvan.activities.mediation.urls")),
    path("activities/inspections/", include("danvan.activities.inspections.urls")),
    path("activities/cells/", include("danvan.activities.cells.urls")),
    path("activities/", include("danvan.activities.urls")),
    path("emulation/quizzes/", include("danvan.emulation.quizzes.urls")),
    path("emulation/commendations/", include("danvan.emulation.commendations.urls")),
    path("emulation/models/", include("danvan.emulation.exemplars.urls")),
    path("emulation/evaluations/", include("danvan.emulation.evaluations.urls")),
    path("emulation/", include("danvan.emulation.urls")),
    path("search/", include("danvan.search.urls")),
    path("reviews/", include("danvan.reviews.urls")),
    path("public/", include("danvan.voice.portal_urls", namespace="portal")),
    path("api/v1/", include("danvan.api_urls")),
    path("open311/v2/", include("danvan.voice.open311_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", _api_docs, name="api-docs"),
    path("", include("danvan.core.urls")),
]
# Uploaded files are never served from MEDIA_URL: each is served by a view that checks the policy.
