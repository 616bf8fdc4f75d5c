"""The package's shape holds: no import cycles at all (imports inside functions count too).

import-linter's layers contract (pyproject.toml, run by `make lint`) keeps the direction;
this keeps modules from importing each other in a circle, which a layer cannot see.
"""

from __future__ import annotations

from pathlib import Path

import grimp

PACKAGES = ("bot", "handlers", "scheduler", "storage")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(
                        child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert _cycles(graph) == []
    graph.add_import(importer="c", imported="a")
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_itself_in_a_circle() -> None:
    graph = grimp.build_graph(*PACKAGES)
    # Packages' __init__ modules are empty; a cycle through one would still show here.
    assert _cycles(graph) == []


def test_storage_imports_nothing_above_it() -> None:
    graph = grimp.build_graph(*PACKAGES)
    for module in graph.find_descendants("storage") | {"storage"}:
        above = {m for m in graph.find_modules_directly_imported_by(module)
                 if m.split(".")[0] in PACKAGES and not m.startswith("storage")}
        assert not above, f"{module} imports {above}"


def test_the_architecture_measures_see_a_wrong_arrow_and_a_loop() -> None:
    """bench/architecture.py's counts can fail: a domain module importing Slack's surface
    counts once, and three packages in a ring are one group even with no pair between them."""
    from bench.architecture import domain_to_surface, loop_groups, package_edges, package_loops

    graph = grimp.ImportGraph()
    for name in ("bot.talks.cycles", "bot.slack_ui.blocks", "bot.curation.notes",
                 "bot.people.themes", "bot.talks.status"):
        graph.add_module(name)
    graph.add_import(importer="bot.talks.cycles", imported="bot.talks.status")
    assert domain_to_surface(graph) == []
    graph.add_import(importer="bot.talks.cycles", imported="bot.slack_ui.blocks")
    assert domain_to_surface(graph) == [("bot.talks.cycles", "bot.slack_ui.blocks")]
    graph.add_import(importer="bot.curation.notes", imported="bot.talks.status")
    graph.add_import(importer="bot.people.themes", imported="bot.curation.notes")
    edges = package_edges(graph)
    assert package_loops(edges) == [] and loop_groups(edges) == []
    graph.add_import(importer="bot.talks.status", imported="bot.people.themes")
    edges = package_edges(graph)
    assert package_loops(edges) == []
    assert loop_groups(edges) == [["bot.curation", "bot.people", "bot.talks"]]


def test_the_domain_names_no_surface_and_no_package_of_bot_loops() -> None:
    """Issue 24's goals, held: a wrong arrow fails here as well as in `make lint`."""
    from bench.architecture import domain_to_surface, loop_groups, package_edges

    graph = grimp.build_graph(*PACKAGES)
    assert domain_to_surface(graph) == []
    assert loop_groups(package_edges(graph)) == []


def test_the_slack_text_measure_sees_mrkdwn_written_by_hand(tmp_path: Path) -> None:
    """bench/architecture.py's fifth count: the escaping leaf imported, a mention, bold or a
    code span built in a string, a Block Kit dict; a docstring or comment quoting one is not."""
    from bench.architecture import slack_text_files

    folder = tmp_path / "bot" / "talks"
    folder.mkdir(parents=True)
    (folder / "clean.py").write_text(
        '"""Says `{ref}` *{title}* in a docstring."""\n# <@{leader}> in a comment\n'
        'X = Value(ref, title)\n', encoding="utf-8")
    assert slack_text_files(tmp_path) == []
    for n, line in enumerate(('from bot.mrkdwn import escape', 'T = f"<@{user}> noted"',
                              'T = f"*{title}* is in"', 'T = f"`{ref}` is in"',
                              'B = {"type": "section"}')):
        (folder / f"f{n}.py").write_text(line + "\n", encoding="utf-8")
    assert [p for p, _ in slack_text_files(tmp_path)] == [
        f"bot/talks/f{n}.py" for n in range(5)]


def test_the_values_converted_compose_no_slack_text() -> None:
    """Files whose texts became said-values (issue 24) stay free of mrkdwn."""
    from bench.architecture import slack_text_files

    found = {p for p, _ in slack_text_files()}
    converted = {"bot/curation/notes.py", "bot/curation/notices.py", "bot/curation/withdraw.py",
                 "bot/sessions/attendance.py", "bot/talks/unconfirmed.py"}
    assert not found & converted


def test_the_email_text_measure_sees_mail_written_in_the_domain(tmp_path: Path) -> None:
    """bench/architecture.py's sixth count: finished text queued (`enqueue_email(text=)`), a
    mail builder returning text, a string in an email's words; a value queued is not."""
    from bench.architecture import email_text_files

    folder = tmp_path / "bot" / "curation"
    folder.mkdir(parents=True)
    (folder / "clean.py").write_text(
        '"""Hello: reply to this email, in a docstring."""\n'
        'async def f(s):\n    await enqueue_email(s, to=[], said=Told("x"), domain="d")\n'
        'def email_confirms(text: str) -> bool:\n    return "yes" in text\n', encoding="utf-8")
    assert email_text_files(tmp_path) == []
    for n, code in enumerate((
            'async def f(s):\n    await enqueue_email(s, to=[], subject="", text="Hi")\n',
            'def email_subject(sub) -> str:\n    return sub.title\n',
            'T = f"Hello {name},"\n',
            'T = "The WG-ML bot, for the leaders"\n')):
        (folder / f"f{n}.py").write_text(code, encoding="utf-8")
    assert [p for p, _ in email_text_files(tmp_path)] == [
        f"bot/curation/f{n}.py" for n in range(4)]


def test_the_domain_composes_no_email_text() -> None:
    """The sixth count's goal, held: the domain queues values; bot/email/said.py words them."""
    from bench.architecture import email_text_files

    assert email_text_files() == []
