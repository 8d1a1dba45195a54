from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language (the language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
    every official whose browser is set to English; here only an explicit choice counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class HealthCheckMiddleware:
    """Answers the load balancer's probe (GET /healthz) first of all.

    A load balancer probes an app server by its address over plain HTTP: the HTTPS redirect
    (SECURE_SSL_REDIRECT) and the host check (ALLOWED_HOSTS) would turn every probe into a 301 or a
    400. The answer (database and cache state) names no record, so it is safe to give to any host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from .views import healthz  # the view's module loads templates and menus: not at start-up

            return healthz(request)
        return self.get_response(request)
