"""The schema: SQLAlchemy 2.0 typed models. Every datetime is stored in UTC."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC in and out, on SQLite (which forgets zones) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


class Cycle(Base):
    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.datetime]  # end of the deadline day in TIMEZONE, as UTC
    deadline_date: Mapped[dt.date] = mapped_column(Date)
    session_date: Mapped[dt.date] = mapped_column(Date)
    announce_at: Mapped[dt.datetime]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    # The session: how many talks it holds, when it starts (local HH:MM) and where people
    # join; the date by which the leaders mean to have decided (nudges and summary).
    slots: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    session_time: Mapped[str] = mapped_column(String(5), default="17:00", server_default="17:00")
    join_url: Mapped[str | None] = mapped_column(String(500))
    decide_by: Mapped[dt.date | None] = mapped_column(Date)
    # The talk ids the program announced (None: not sent yet) and its calendar SEQUENCE:
    # a later change sends one update with the next sequence.
    program_talks: Mapped[list[int] | None] = mapped_column(JSON)
    program_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Speaker(Base):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    studio: Mapped[str] = mapped_column(String(200), default="")
    networking_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(32), unique=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    focus_area: Mapped[str] = mapped_column(String(64))
    abstract: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text, default="")
    studio: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(8))  # slack | email
    status: Mapped[str] = mapped_column(String(24), index=True)
    confidentiality_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality_confirmed_at: Mapped[dt.datetime | None]
    # Idempotency for Slack: the modal's view id (a retried view_submission is one submission).
    slack_view_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Email threading: the Message-ID that created it and the bot's confirmation request.
    email_message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    email_thread_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None]
    # After acceptance: will the speaker present (confirmed | declined | None), and the links
    # they shared after the session.
    attendance: Mapped[str | None] = mapped_column(String(16))
    attendance_asked_at: Mapped[dt.datetime | None]
    attendance_at: Mapped[dt.datetime | None]
    slides_url: Mapped[str | None] = mapped_column(String(2000))
    recording_url: Mapped[str | None] = mapped_column(String(2000))
    # The speaker's word on the public archive: True (list it), False (withdrawn or refused),
    # None (never asked or never answered). Only True publishes anything of the talk.
    publish: Mapped[bool | None] = mapped_column(Boolean)
    publish_at: Mapped[dt.datetime | None]
    # What the session guidelines read in the confirmed text (bot.guidelines.stored): the
    # text's key and its concerns, each with who dismissed it. Read by every card render, so
    # the engine runs once per confirmed version, not once per render.
    guideline_concerns: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Indexed for `export --since` (talks created or changed since a day).
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    speaker: Mapped[Speaker] = relationship(lazy="joined")
    cycle: Mapped[Cycle | None] = relationship(lazy="joined")
    votes: Mapped[list[Vote]] = relationship(
        lazy="selectin", order_by="Vote.at", cascade="all, delete-orphan"
    )
    # The history behind `status`: decisions and undos in order (no schema change, a read view).
    decisions: Mapped[list[Decision]] = relationship(
        lazy="selectin", order_by="Decision.id", viewonly=True
    )
    notes: Mapped[list[Note]] = relationship(lazy="selectin", order_by="Note.id", viewonly=True)
    recusals: Mapped[list[Recusal]] = relationship(
        lazy="selectin", order_by="Recusal.id", viewonly=True
    )


class SubmissionVersion(Base):
    """One text of a talk: confirmed by its speaker (confirmed_at set), or the one edit still
    waiting for its speaker's confirmation (confirmed_at None; at most one per talk).

    The submission's own columns always hold the latest confirmed text (or, before the first
    confirmation, the draft nobody but its speaker sees), so every leaders' surface reads
    confirmed text by construction; a pending edit lives only here until it is confirmed.
    """

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "n"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    focus_area: Mapped[str] = mapped_column(String(64))
    abstract: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text, default="")
    studio: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))  # slack user id or email address
    channel: Mapped[str] = mapped_column(String(8))  # slack | email
    confirmed_at: Mapped[dt.datetime | None]
    # The wording of the confidentiality statement the speaker confirmed for this text.
    statement: Mapped[str | None] = mapped_column(Text)
    # A pending email edit: the bot's request, the one message a confirmation must answer.
    request_message_id: Mapped[str | None] = mapped_column(String(998))


class GuidelineDismissal(Base):
    """A leader judged a guideline concern on a talk not to matter; kept for the talk's later
    versions that raise the same concern (same rule, same reason)."""

    __tablename__ = "guideline_dismissals"
    __table_args__ = (UniqueConstraint("submission_id", "rule", "reason"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    rule: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("submission_id", "voter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    voter: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(8))  # yes | maybe | no
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)  # export --since
    # Slack's action_ts of the press that set this value, in microseconds: a press older
    # than it (a replay, a late retry) changes nothing. None for a press without one.
    action_us: Mapped[int | None] = mapped_column(BigInteger)


class Note(Base):
    """A leader's note on a talk: for the leaders only (card thread, review, export)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    by: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)  # export --since
    # The modal's view id: a view_submission Slack retries is one note.
    view_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class Recusal(Base):
    """A leader stepping back from a talk (or back in: `active` false), one row per pair."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("submission_id", "leader"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    leader: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)  # export --since
    # Slack's action_ts of the press behind this state, in µs: an older press changes nothing.
    action_us: Mapped[int | None] = mapped_column(BigInteger)


class LatePress(Base):
    """A vote press acknowledged before its vote committed (the database was slower than
    Slack's 3 seconds allow), kept until it has been applied: see bot.curation.ack."""

    __tablename__ = "late_presses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user: Mapped[str] = mapped_column(String(64))
    action_id: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(32))
    action_ts: Mapped[str] = mapped_column(String(40))
    retry_num: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Decision(Base):
    """Every decision and every undo, in order; the submission holds the current status."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # accepted | declined | undone
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Slack's action_ts of the press, in microseconds: a decision press older than the
    # newest one recorded on the card changes nothing (bot.curation).
    action_us: Mapped[int | None] = mapped_column(BigInteger)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # The email answer cap counts one sender's recent answers on every inbound message:
    # without this, that count scans every answer ever sent (intake slows as mail grows).
    __table_args__ = (Index("ix_audit_actor_action_at", "actor", "action", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(320))  # slack user id, email address or "system"
    action: Mapped[str] = mapped_column(String(64), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Tells the unit of work to insert a new submission before its audit rows: the email
    # intake chooses submission ids itself and flushes a whole batch at once.
    submission: Mapped[Submission | None] = relationship()


class OutboxMessage(Base):
    """A message that must leave the bot: written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A card's renders, found without reading history (enqueue_card, send_card).
        Index("ix_outbox_card", "card_of", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # see scheduler.outbox for kinds
    lane: Mapped[str] = mapped_column(String(64), index=True)  # deliveries in a lane keep order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    card_of: Mapped[int | None] = mapped_column(Integer)  # kind slack.card: its submission
    # pending | sending | sent | failed | superseded
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class InboundMessage(Base):
    """Raw inbound email, stored before parsing so nothing a speaker sent is lost."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(16))  # imap | ingest
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new|processed|ignored|failed
    outcome: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(String(320), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    processed_at: Mapped[dt.datetime | None]
    submission: Mapped[Submission | None] = relationship()  # see AuditEvent.submission


class JobRun(Base):
    """One row per (job, cycle, occurrence): the claim that makes a scheduled post single."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "cycle_id", "occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    cycle_id: Mapped[int] = mapped_column(Integer)  # 0 for jobs not tied to a cycle
    occurrence: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime]
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))  # ran | skipped
    detail: Mapped[str | None] = mapped_column(Text)


class Subproject(Base):
    """A pain point shared across studios becoming a WG-ML sub-project with its own channel.

    `theme_key` (the theme's talks, hashed) and `view_id` (the modal that proposed it) are
    unique: two leaders proposing the same theme at once, or a modal submitted twice, make
    one row, so one channel. A row without `channel_id` is a claim whose channel is being
    created (or whose creator died: see bot.subprojects.store.STALE_CLAIM).
    """

    __tablename__ = "subprojects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    channel_name: Mapped[str] = mapped_column(String(80))
    statement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    repo_url: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    theme_key: Mapped[str] = mapped_column(String(64), unique=True)
    theme_name: Mapped[str] = mapped_column(String(200), default="")
    view_id: Mapped[str] = mapped_column(String(64), unique=True)
    # The last time someone new said they were interested (or the creation): the monthly
    # "close it?" note counts its 30 days from here.
    last_interest_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SubprojectTalk(Base):
    """A talk a sub-project starts from (its evidence)."""

    __tablename__ = "subproject_talks"
    __table_args__ = (UniqueConstraint("subproject_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subprojects.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))


class SubprojectInterest(Base):
    """A member who pressed "I'm interested": one row per member and sub-project."""

    __tablename__ = "subproject_interest"
    __table_args__ = (UniqueConstraint("subproject_id", "user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subprojects.id"), index=True)
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
class Wish(Base):
    """A topic a member asked for (bot.wishes); `key`, its normalised text, is unique."""

    __tablename__ = "wishes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(320), unique=True)
    by: Mapped[str] = mapped_column(String(64))  # the member's Slack user id
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]


class WishBacking(Base):
    """A member backing a wish: one row per pair, toggled; action_us orders the presses."""

    __tablename__ = "wish_backings"
    __table_args__ = (UniqueConstraint("wish_id", "member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"), index=True)
    member: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action_us: Mapped[int | None] = mapped_column(BigInteger)


class WishAnswer(Base):
    """A talk answering a wish; `announced_at`: on an announced program (backers told)."""

    __tablename__ = "wish_answers"
    __table_args__ = (UniqueConstraint("wish_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    announced_at: Mapped[dt.datetime | None]


class ImapState(Base):
    __tablename__ = "imap_state"

    mailbox: Mapped[str] = mapped_column(String(255), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _without_nul(mapper: Any, connection: Any, target: Any) -> None:
    """Drop NUL characters from text columns before a row is written.

    PostgreSQL refuses NUL in text (SQLite stores it): mail carries them (a stray byte in a
    body or display name, a UTF-16 part read as UTF-8), and one NUL used to fail the
    message, again on every replay. NUL means nothing in text; raw bytes (LargeBinary) and
    JSON (PostgreSQL's json keeps \\u0000) are left as they are.
    """
    for attr in mapper.column_attrs:
        if not isinstance(attr.columns[0].type, String):  # Text is a String
            continue
        value = target.__dict__.get(attr.key)  # loaded values only: nothing is fetched here
        if isinstance(value, str) and "\x00" in value:
            setattr(target, attr.key, value.replace("\x00", ""))


event.listen(Base, "before_insert", _without_nul, propagate=True)
event.listen(Base, "before_update", _without_nul, propagate=True)
