"""Adapters from Slack and email to the pipeline in bot/.

Each listener acknowledges, turns the payload into a plain request, calls one pipeline
function and renders the answer. No SQL and no business rules here.

A listener's module imports its domain code and its views inside the functions that use
them, and matches on ids from light modules (bot/slack_ui/ids.py, bot/sessions/ids.py):
`wgml-bot run` registers every listener at start-up without loading what they answer with,
and each part loads at its first request (tests/app/test_import_closure.py).
"""
