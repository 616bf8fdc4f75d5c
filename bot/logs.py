"""Structured logs: one event per line, key=value or JSON, secrets never written."""

from __future__ import annotations

import json
import logging
import re
import sys

_SECRET = re.compile(r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)")
_PASSWORD = re.compile(r"(?i)(password|passwd|secret|token)=\S+")


def redact(text: str) -> str:
    return _PASSWORD.sub(r"\1=***", _SECRET.sub("xox*-***", text))


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = redact(record.getMessage())
        when = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        line = f"ts={when} level={record.levelname.lower()} logger={record.name} {message}"
        if record.exc_info:
            line += " exc=" + json.dumps(redact(self.formatException(record.exc_info)))
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry)


def setup_logging(fmt: str = "kv", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if level.upper() in logging._nameToLevel else "INFO")
    logging.getLogger("aiohttp.access").setLevel("WARNING")
    # Alembic's "Context impl SQLiteImpl." lines on every command say nothing to an operator;
    # `db upgrade` prints its own result. LOG_LEVEL=DEBUG shows them again.
    logging.getLogger("alembic").setLevel("DEBUG" if root.level <= logging.DEBUG else "WARNING")
