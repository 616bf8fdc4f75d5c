"""After the decision: the session itself (attendance, program, reminders, slides, recap)."""
