"""Reminders: one mechanism for every daily reminder e-mail (reports, cases, study, programmes).

A module declares its kind once (`kinds.Kind`, registered in its app's `ready()`); `services.send`
sends it, `Sent` remembers what went to whom each day. Ground floor: imports core, audit and
accounts only.
"""
