"""Adapters from Slack and email to the pipeline in bot/.

Each listener acknowledges, turns the payload into a plain request, calls one pipeline
function and renders the answer. No SQL and no business rules here.
"""
