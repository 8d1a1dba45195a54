"""Reads of accounts: users and the roles they hold.

What an administrator may manage (users and role assignments within their subtrees) is read by
`danvan.administration.selectors`.
"""
