"""The public side of the voice module: the citizens' portal and Open311 GeoReport v2.

Owns no model: a submission becomes a case through the cases' services (`services.py`), a tracking
code finds what is public about it (`selectors.py`); abuse protection shared by both doors
(`limits.py`); the portal's pages and forms (`views.py`, `forms.py`) and the Open311 endpoints
(`open311.py`). It sits on top of the other sub-packages.
"""
