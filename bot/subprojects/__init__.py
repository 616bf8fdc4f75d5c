"""A pain point shared across studios becoming a WG-ML sub-project: its channel, the talks
it starts from, who is interested, and its lifecycle (proposed, active, graduated, closed).

The domain decides and returns values; Slack and email render them (bot.slack_ui.subprojects,
bot.email.subproject_texts) and handlers.slack.subprojects wires them to Slack.
"""
