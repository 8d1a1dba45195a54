from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "danvan.reviews"
    label = "reviews"
    verbose_name = "Semi-annual and annual review reports"
