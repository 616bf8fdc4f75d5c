"""Topics members ask for (wishes), their backers, and the talks that answer them.

Domain only: it decides and returns values (bot.wishes.model); Slack renders them in
bot/slack_ui/wishes.py, the scheduler puts them in the call for speakers.
"""
