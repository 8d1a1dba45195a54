"""The fixtures of the review report's tests: the reports' catalogue and periods, and typed figures."""

from danvan.reports.tests.conftest import approved, indicators, prepare  # noqa: F401 - the reports fixtures
from danvan.reviews.tests.test_review_report import figures  # noqa: F401 - typed values and training classes
