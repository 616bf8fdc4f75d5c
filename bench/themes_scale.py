"""Common pain points at a working group's scale: `wgml-bot themes` over 1,000 and 10,000
confirmed talks (100,000 with --100k), before and after issue 29, in the same run.

Each size is seeded through the project's models into a fresh SQLite database (speakers from
~300 studios, talks with ~150-word abstracts and a results paragraph written from a few
dozen topics and pains, with the long tail of show names, tools and studio jargon real
abstracts carry), then timed as the command runs it: `themes_from_db` (the plain select of
the columns it needs, then the grouping off the event loop). Peak memory is tracemalloc's
peak of Python allocations during the call (the grouping's graph and the rows read).

"before" is the all-pairs clustering of main before issue 29 (bench/themes_baseline.py, with
the full ORM load it used): quadratic, so it runs at 1,000 and 2,000 talks only (327 s and
4.8 GB at 10,000 on main); --before-10k runs it there too. "after" is bot/people/themes.py.
The growth ratio is time(10k) / time(1k); issue 29 asks for at most ~12x.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bench import themes_baseline
from bot.people.themes import Talk
from bot.people.themes_report import themes_from_db
from bot.talks.status import CONFIRMED
from storage.db import Database
from storage.migrate import stamp_head
from storage.models import Base, Speaker, Submission

TOPICS = [
    ("hair", "strand", "groom", "simulation"), ("cloth", "garment", "drape", "solver"),
    ("denoiser", "path", "tracing", "samples"), ("rotoscoping", "matte", "edge", "roto"),
    ("facial", "capture", "blendshape", "performance"), ("lip", "sync", "phoneme", "dialogue"),
    ("upscaling", "super", "resolution", "plate"), ("depth", "estimation", "stereo", "disparity"),
    ("crowd", "agents", "locomotion", "animation"), ("relighting", "hdri", "lighting", "probe"),
    ("colour", "grading", "aces", "lut"), ("compositing", "keying", "despill", "greenscreen"),
    ("asset", "tagging", "search", "library"), ("render", "farm", "scheduling", "queue"),
    ("texture", "synthesis", "material", "pbr"), ("motion", "blur", "shutter", "vectors"),
    ("retargeting", "skeleton", "mocap", "rig"), ("fluid", "smoke", "volume", "pyro"),
    ("layout", "camera", "previs", "blocking"), ("inpainting", "cleanup", "wire", "removal"),
    ("voice", "cloning", "adr", "localisation"), ("terrain", "procedural", "world", "erosion"),
    ("muscle", "skin", "deformation", "flesh"), ("optical", "flow", "tracking", "match"),
]
PAINS = [
    "the output flickered from frame to frame and temporal jitter ruined the {a} shots",
    "the model hallucinated {a} detail that was not in the plate",
    "training ran out of memory on the {b} data at full resolution",
    "inference was too slow for artists to iterate on {a} in dailies",
    "artists did not trust the {a} results and went back to the manual {b} workflow",
    "we could not get enough labelled {b} data, so the model failed on new shows",
    "licensing of the pretrained {a} weights blocked us from shipping it",
    "the {a} network broke on motion blur and fast {b} movement",
    "colour shifted between the {a} output and the original plate, so comp rejected it",
    "integrating the {b} tool with the pipeline was harder than the model itself",
    "version drift between the {a} checkpoints made old shots impossible to reproduce",
    "edges of the {b} were smeared and needed a cleanup pass",
]
GOOD = [
    "the {a} model matched the artists' quality on most shots",
    "turnaround on {b} dropped from days to hours",
    "supervisors approved the {a} results for the final delivery",
]
FILLER = ("we trained on {n} shots from {show} using {tool}, with a {arch} backbone and a "
          "dataset curated by the {dept} team; the work ran on {gpu} nodes over {weeks} weeks "
          "and reused the studio's existing {b} conventions and review tools")
ARCH = ["transformer", "u-net", "diffusion", "gan", "cnn", "nerf", "gaussian-splat", "vae"]
TOOLS = ["nuke", "houdini", "maya", "katana", "usd", "pytorch", "openexr", "openvdb", "gaffer"]
DEPTS = ["fx", "comp", "lighting", "lookdev", "animation", "creature", "pipeline", "rnd"]


def _jargon(rng: random.Random) -> str:
    """A show or in-house tool name: the long tail of words one talk or a few carry."""
    syllables = ["ka", "zor", "mi", "tel", "vra", "on", "dex", "lu", "quin", "sa", "bel", "tor"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def abstract_for(rng: random.Random) -> tuple[str, str, str]:
    """(title, abstract, results) of one talk, ~150 words in the abstract."""
    topic = rng.choice(TOPICS)
    a, b = rng.sample(topic, 2)
    show, tool = _jargon(rng), _jargon(rng)
    title = f"{a.title()} {b} with {rng.choice(ARCH)} at {show.title()}"
    sentences = [
        f"This talk presents how our team applied machine learning to {a} and {b} for "
        f"{' '.join(topic)} work on {show}.",
        FILLER.format(n=rng.randint(50, 5000), show=show, tool=rng.choice(TOOLS) + " and " + tool,
                      arch=rng.choice(ARCH), dept=rng.choice(DEPTS), gpu=rng.randint(4, 64),
                      weeks=rng.randint(2, 40), b=b) + ".",
        rng.choice(GOOD).format(a=a, b=b).capitalize() + ".",
    ]
    pains = rng.sample(PAINS, rng.randint(1, 2))
    sentences += [p.format(a=a, b=b).capitalize() + "." for p in pains]
    sentences.append(f"We describe the data, the {rng.choice(ARCH)} architecture, the "
                     f"{rng.choice(DEPTS)} review loop with {rng.choice(TOOLS)} and what we "
                     f"would do differently next time on {_jargon(rng)}, and share the "
                     "evaluation shots and metrics the supervisors used to sign off.")
    results = (rng.choice(GOOD).format(a=a, b=b).capitalize() + ", but "
               + rng.choice(PAINS).format(a=a, b=b) + ".")
    return title, " ".join(sentences), results


async def seed(db: Database, n: int, seed_value: int = 29) -> None:
    """`n` confirmed talks from ~n/10 speakers in ~300 studios, through the models."""
    rng = random.Random(seed_value)
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.run_sync(stamp_head)
    speakers = max(10, n // 10)
    studios = [f"{_jargon(rng).title()} Studios" for _ in range(300)]
    status = sorted(CONFIRMED)[0]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with db.transaction() as session:
        await session.execute(insert(Speaker), [
            {"id": i + 1, "name": f"Speaker {i}", "email": f"s{i}@example.org",
             "studio": rng.choice(studios), "networking_opt_out": i % 17 == 0}
            for i in range(speakers)])
        for start in range(0, n, 5000):
            rows: list[dict[str, Any]] = []
            for i in range(start, min(n, start + 5000)):
                title, abstract, results = abstract_for(rng)
                rows.append({"id": i + 1, "ref": f"T-{i + 1}",
                             "speaker_id": rng.randint(1, speakers),
                             "title": title, "focus_area": "vfx", "abstract": abstract,
                             "results": results, "studio": "", "source": "email",
                             "status": status,
                             "created_at": now - dt.timedelta(hours=n - i)})
            await session.execute(insert(Submission), rows)


async def _old_themes(db: Database) -> int:
    """main before issue 29: full ORM rows, then the all-pairs clustering."""
    async with db.session() as session:
        rows = (await session.scalars(select(Submission).where(
            Submission.status.in_(CONFIRMED)).order_by(Submission.id))).unique().all()
        talks = [Talk(id=s.id, ref=s.ref or "", title=s.title, abstract=s.abstract,
                      results=s.results, studio=s.studio or s.speaker.studio,
                      speaker=s.speaker.name, opted_out=s.speaker.networking_opt_out,
                      owner=str(s.speaker_id)) for s in rows]
    groups = await asyncio.to_thread(themes_baseline.cluster_ids, talks)
    return sum(1 for g in groups if len(g) > 1)


async def _new_themes(db: Database) -> int:
    async with db.session() as session:
        found, _ = await themes_from_db(session)
    return len(found)


async def _measure(run: Callable[[Database], Awaitable[int]], db: Database
                   ) -> tuple[float, float, int]:
    """(seconds, peak MiB of Python allocations, what it found)."""
    tracemalloc.start()
    began = time.perf_counter()
    found = await run(db)
    took = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, peak / 2**20, found


async def run(sizes: list[int], before_sizes: list[int]) -> int:
    print("themes at scale (SQLite, seeded through the models; time and tracemalloc peak):")
    times: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(sizes) | set(before_sizes)):
            db = Database(f"sqlite+aiosqlite:///{Path(tmp) / f'themes-{n}.db'}")
            await seed(db, n)
            for name, fn, wanted in (("before", _old_themes, before_sizes),
                                     ("after", _new_themes, sizes)):
                if n not in wanted:
                    continue
                took, peak, found = await _measure(fn, db)
                times[(name, n)] = took
                label = "groups" if name == "before" else "candidates"
                print(f"  {name:>6} {n:>7} talks: {took:8.2f} s  peak {peak:8.1f} MiB  "
                      f"({found} {label})")
            await db.dispose()
    for name, wanted in (("before", before_sizes), ("after", sizes)):
        ordered = sorted(wanted)
        for small, big in itertools.pairwise(ordered):
            ratio = times[(name, big)] / times[(name, small)]
            print(f"  {name:>6} growth {small} -> {big} talks ({big / small:.0f}x): "
                  f"{ratio:.1f}x time")
    if ("after", 1000) in times and ("after", 10000) in times:
        ratio = times[("after", 10000)] / times[("after", 1000)]
        print(f"  after: 10x the talks takes {ratio:.1f}x the time (issue 29: at most ~12x)")
        if ("before", 1000) in times:
            print(f"  at 1,000 talks after/before: "
                  f"{times[('after', 1000)] / times[('before', 1000)]:.2f}x")
    return 0


async def main() -> int:
    sizes = [1000, 10000] + ([100000] if "--100k" in sys.argv else [])
    before = [1000, 2000] + ([10000] if "--before-10k" in sys.argv else [])
    return await run(sizes, before)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
