from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "danvan.search"
    label = "search"
    verbose_name = "Search"
