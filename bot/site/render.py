"""The archive rendered: every file of the site as bytes, from the domain's values.

Jinja2 with autoescape for .html and .xml templates: every text a person wrote (titles,
abstracts, names, studios) is escaped for HTML and for attributes by the template engine,
never by hand. Links are made of http(s) URLs only; file names come from talk references,
reduced to letters, digits, `-` and `_`.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from bot.config import Settings
from bot.sessions.archive import Archive, ArchiveSession
from bot.site import feeds
from bot.site.links import Links, safe_url

SITE_TITLE = "WG-ML Mutual Learning Sessions"
GROUP = "ASWF Machine Learning Working Group"
# No inline script or style may run, nothing may be loaded from elsewhere; the page's own
# script and stylesheet only (a file:// page counts as 'self' in Chromium and Firefox).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
ASSETS = ("site.css", "site.js")


def paragraphs(text: str) -> Markup:
    """Plain text as escaped paragraphs: a blank line starts one, a newline breaks a line."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>\n").format(Markup("<br>\n").join(escape(line) for line in
                                                           block.split("\n")))
        for block in blocks)


def when_words(session: ArchiveSession) -> str:
    """"Thursday 14 January 2027, 17:00 Europe/London (17:00 UTC)"."""
    local = session.start.astimezone(zoneinfo.ZoneInfo(session.timezone))
    words = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {session.timezone}"
    if session.timezone != "UTC":
        words += f" ({session.start:%H:%M} UTC)"
    return words


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def environment() -> Environment:
    env = Environment(loader=PackageLoader("bot.site", "templates"),
                      autoescape=select_autoescape(("html", "xml")),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(safe_url=safe_url, paragraphs=paragraphs, when=when_words, iso=iso)
    env.globals.update(SITE_TITLE=SITE_TITLE, GROUP=GROUP, CSP=CSP)
    return env


def _choices(archive: Archive) -> tuple[list[tuple[str, str]], list[str]]:
    focus: dict[str, str] = {}
    studios: dict[str, str] = {}
    for talk in archive.talks:
        focus.setdefault(talk.focus_area, talk.focus_short)
        studios.setdefault(talk.studio.casefold(), talk.studio)
    return (sorted(focus.items(), key=lambda kv: kv[1].casefold()),
            sorted(studios.values(), key=str.casefold))


def render_site(archive: Archive, settings: Settings) -> dict[str, bytes]:
    """Every file of the site: {path from the site's root: content}."""
    env = environment()
    links = Links.of(archive)
    site_url = settings.site_url
    common = {"archive": archive, "links": links, "site_url": site_url,
              "generated": archive.now}
    focus, studios = _choices(archive)
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **values: object) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(**common, root=root, path=path, **values)
        files[path] = html.encode("utf-8")

    page("index.html", "index.html", focus_choices=focus, studio_choices=studios)
    for session in archive.sessions:
        page(links.session(session), "session.html", session=session)
        for talk in session.talks:
            page(links.talk(talk), "talk.html", session=session, talk=talk)
    feed = env.get_template("talk_summary.html")
    files["feed.xml"] = feeds.atom(env, archive, links, site_url, feed).encode("utf-8")
    files["feed.ics"] = feeds.calendar(archive, links, site_url).encode("utf-8")
    files["talks.json"] = feeds.talks_json(archive, links, site_url).encode("utf-8")
    static = resources.files("bot.site").joinpath("static")
    for name in ASSETS:
        files[name] = static.joinpath(name).read_bytes()
    return files
