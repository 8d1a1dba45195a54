"""The project's own URLs in the permission matrix: the home page, health, language, API schema."""


def register(matrix):
    matrix.read("core:home", perm=None)  # each user's own work: nothing to do is an empty list
    matrix.exempt("healthz", "the load balancer's health check: public, shows no record")
    matrix.exempt("set_language", "Django's language switch: POST, public, shows no record")
    reason = "the API's description, the same for every signed-in user (orgs/tests/test_api_schema.py)"
    matrix.exempt("api-schema", reason)
    matrix.exempt("api-docs", reason)
