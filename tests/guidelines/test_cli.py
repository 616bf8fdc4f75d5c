"""`wgml-bot guidelines check FILE|-`: JSON in, `{"concerns": [...]}` out; bad input is one
line on standard error and a non-zero exit, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main

FIT = {"title": "SAM2 roto assistant",
       "abstract": "We built an interactive roto assistant on SAM2 for our compositors and "
                   "tested it on 40 shots.",
       "results": "Manual roto time down 78% on simple shots; motion blur still fails."}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: bytes,
        *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["guidelines", "check", *(argv or ("-",))])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fitting_talk_has_no_concern(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, monkeypatch, json.dumps(FIT).encode())
    assert (code, json.loads(out), err) == (0, {"concerns": []}, "")


def test_concerns_name_rule_and_reason(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    talk = {"title": "Acme AI for studios",
            "abstract": "Our platform is the industry-leading AI for VFX studios. Pricing starts "
                        "at $99 a seat; contact our sales team to book a demo.",
            "results": ""}
    code, out, _ = run(capsys, monkeypatch, json.dumps(talk).encode())
    concerns = json.loads(out)["concerns"]
    assert code == 0
    assert {c["rule"] for c in concerns} >= {"pitch"}
    pitch = next(c for c in concerns if c["rule"] == "pitch")
    assert "Pricing" in pitch["reason"] and "contact our sales team" in pitch["reason"]
    assert all(set(c) == {"rule", "reason"} for c in concerns)


def test_missing_results_is_fine_and_a_file_works(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "talk.json"
    path.write_text(json.dumps({"title": FIT["title"], "abstract": FIT["abstract"]}),
                    encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, b"", str(path))
    assert code == 0 and err == ""
    assert "concerns" in json.loads(out)


@pytest.mark.parametrize(("data", "says"), [
    (b"", "empty"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b'"a string"', "must be a JSON object"),
    (b'{"title": 3, "abstract": "x"}', '"title" must be a string'),
    (b'{"title": "x", "abstract": ["a"]}', '"abstract" must be a string'),
    (b'{"title": "x", "abstract": "y", "results": {"a": 1}}', '"results" must be a string'),
    (b'{"studio": "ILM"}', 'neither "title" nor "abstract"'),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"title": "\xc3"}', "not UTF-8"),
    (b"\x00\x01\x02binary", "binary"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_bad_input_is_one_line_and_non_zero(data: bytes, says: str,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, monkeypatch, data)
    assert code != 0 and out == ""
    assert says in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    for path in (tmp_path / "missing.json", tmp_path):
        code, out, err = run(capsys, monkeypatch, b"", str(path))
        assert code != 0 and out == "" and err.startswith("wgml-bot: cannot read")
        assert err.count("\n") == 1


def test_lone_surrogates_and_huge_text_are_answered(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    talk = '{"title": "\\ud800 roto", "abstract": "%s", "results": ""}' % ("shot " * 20_000)
    code, out, err = run(capsys, monkeypatch, talk.encode())
    assert code == 0 and err == ""
    assert isinstance(json.loads(out)["concerns"], list)


def test_the_installed_command_end_to_end() -> None:
    """The real process: stdin in, JSON out; bad JSON is one stderr line, exit 1."""
    command = [sys.executable, "-c", "from bot.cli.main import main; raise SystemExit(main())",
               "guidelines", "check", "-"]
    good = subprocess.run(command, input=json.dumps(FIT).encode(), capture_output=True,
                          timeout=60, check=False)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == {"concerns": []}
    bad = subprocess.run(command, input=b"{oops", capture_output=True, timeout=60, check=False)
    assert bad.returncode == 1 and bad.stdout == b""
    assert bad.stderr.decode().count("\n") == 1 and b"Traceback" not in bad.stderr
