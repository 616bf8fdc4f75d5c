"""What the group builds on the talks: sub-projects grown from shared pain points, the topics
members wish for, and the leaders' dismissals of a guideline concern on a card."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.model_base import Base, utcnow


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
