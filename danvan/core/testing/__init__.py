"""Helpers for the test suites of every module (nothing here runs in production)."""
