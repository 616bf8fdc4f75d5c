"""`wgml-bot email inspect|ingest` with paths that are no message: a device is "not a regular
file" (not "no such file"); a folder's hidden files are skipped."""

from __future__ import annotations

import json
from pathlib import Path

from tests.email.test_cli import acli
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture

BODY = "Title: Hair roto\nAbstract: We tried SAM 2 on forty shots of hair and fur."


async def test_inspect_of_a_device_says_it_is_not_a_regular_file(
        env: dict[str, str], tmp_path: Path) -> None:
    out = await acli("email", "inspect", "/dev/null", env=env, cwd=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 1 and "not a regular file" in err and "no such file" not in err
    assert "Traceback" not in err
    out = await acli("email", "inspect", str(tmp_path), env=env, cwd=tmp_path)
    assert out.returncode == 1 and "a folder" in out.stderr.decode()


async def test_ingest_of_a_folder_skips_hidden_files(
        env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "1.eml").write_bytes(message("A <a@studio.example>", BODY,
                                           message_id="<one@studio.example>"))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 100)
    (folder / ".1.eml.swp").write_bytes(message("B <b@studio.example>", BODY,
                                                message_id="<swap@studio.example>"))
    out = await acli("email", "ingest", str(folder), env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    lines = [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]
    assert [r["message_id"] for r in lines] == ["<one@studio.example>"]
