"""The staff pages of the cases (namespace "voice"; routes in the app's urls.py).

- `cases.py`: the list, intake, the case file with its actions, suggestion-box openings;
- `lists.py`: overdue and due-soon clocks, statistics, patterns (suggested duplicates);
- `identity.py`: who sent a case and the protected attachments. They show what `identity` keeps
  but need the case file (which cases the user may see, its attachments), so they sit here, above
  both: `identity` stays below the cases, which seal and read through it.
"""
