"""The one search box: a page and `GET /api/v1/search/?q=…`, both through `selectors.search`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import registry, selectors

PAGE_RESULTS = 20
MORE_RESULTS = 100


def _limit(request) -> int:
    return MORE_RESULTS if request.GET.get("more") == "1" else PAGE_RESULTS


@login_required
def results(request):
    query = request.GET.get("q")
    kind = request.GET.get("type", "")
    found, error = None, ""
    if query is not None:
        try:
            found = selectors.search(request.user, query, limit=_limit(request), kind=kind)
        except selectors.QueryError as problem:
            error = str(problem)
    return render(
        request,
        "search/results.html",
        {
            "query": (query or "")[: selectors.MAX_QUERY_CHARS],
            "found": found,
            "error": error,
            "limit": _limit(request),
            "kinds": [(known.key, known.label) for known in registry.kinds()],
            "kind": kind,
        },
        status=400 if error else 200,
    )


class ResultSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="unit, document, programme, task, case, reception, dialogue …")
    type_label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    context = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML-escaped; the matched words in <mark>")


class FoundSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = ResultSerializer(many=True)
    more = serializers.BooleanField()


class SearchAPI(APIView):
    """Records the user may see that the words find, best first: `type`, `type_label`, `title`, `url`,
    `context`, `snippet` (HTML-escaped, the matched words in <mark>); `more` when more match."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="1–12 words, at most 200 characters"),
            OpenApiParameter("more", str, description="1: up to 100 results instead of 20"),
            OpenApiParameter("type", str, description="only records of this kind (a result's `type`)"),
        ],
        responses=FoundSerializer,
    )
    def get(self, request):
        try:
            found = selectors.search(
                request.user,
                request.query_params.get("q"),
                limit=_limit(request),
                kind=request.query_params.get("type", ""),
            )
        except selectors.QueryError as problem:
            return Response({"detail": str(problem)}, status=400)
        return Response(
            {
                "query": found.query,
                "results": [
                    {
                        "type": result.kind,
                        "type_label": result.label,
                        "title": result.title,
                        "url": result.url,
                        "context": result.context,
                        "snippet": str(result.snippet),
                    }
                    for result in found.results
                ],
                "more": found.more,
            }
        )

    def get_view_name(self):
        return _("Search")
