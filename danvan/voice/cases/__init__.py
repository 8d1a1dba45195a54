"""Cases: the submissions citizens send and their handling at the responsible unit.

Owns the case models; the actions declared once (`workflow.py`) and the services that carry them
out with their clocks (`services.py`, `clocks.py`); files (`attachments.py`), tracking codes
(`tracking.py`), patterns among cases (`patterns.py`); reads (`selectors.py`), figures (`stats.py`)
and the reports' sources (`sources.py`), the daily reminder (`reminders.py`); the staff pages
(`views/`), their forms and the REST API. It counts its clocks with `deadlines` and seals who sent
a case with `identity`; the public portal sits above it.
"""
