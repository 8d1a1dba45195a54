"""The statutory deadline engine of the voice module.

Owns the deadline rules (`DeadlineRule`: how long a step of a procedure may take, in force over a
range of dates) and the administrators' calendar entries (`CalendarDay`); the working-day calendar
(`calendar.py`); the counting of periods (`counting.py`: `due_date`, `deadline`); their writes
(`services.py`) and reads (`selectors.py`); the administration pages (rules, calendar, a deadline
check), the read-only rules API and the seeded rules (`seed.py`). It imports nothing else of voice:
the cases count their clocks with it.
"""
