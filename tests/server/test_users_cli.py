"""`cockpit user ...` on a data directory no server holds, and through --endpoint against a
real server on 127.0.0.1 (the CLI run as a subprocess)."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from cockpit.cli import main
from core import open_core
from core.ops.users import resolve_access_key


def _resolves(data_dir, key_id):
    async def check():
        async with open_core(data_dir) as core:
            found = await resolve_access_key(core, key_id)
            return None if found is None else (found[0].name, found[0].role, found[1])
    return asyncio.run(check())


def test_create_prints_the_pair_once_and_it_authenticates(tmp_path, capsys):
    data = tmp_path / "ws"
    assert main(["--data-dir", str(data), "user", "create", "root", "--role", "admin", "--json"]) == 0
    pair = json.loads(capsys.readouterr().out)
    assert set(pair) == {"AccessKeyId", "SecretAccessKey"}
    assert _resolves(data, pair["AccessKeyId"]) == ("root", "admin", pair["SecretAccessKey"])

    assert main(["--data-dir", str(data), "user", "create", "ann", "--role", "responder"]) == 0
    text = capsys.readouterr().out
    assert "AccessKeyId:" in text and "shown only now" in text
    assert main(["--data-dir", str(data), "user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ann" in listing and "responder" in listing and pair["AccessKeyId"] in listing
    assert pair["SecretAccessKey"] not in listing
    log = (data / "cockpit.log").read_text() if (data / "cockpit.log").exists() else ""
    assert pair["SecretAccessKey"] not in log


def test_disable_rotate_and_bad_input(tmp_path, capsys):
    data = tmp_path / "ws"
    main(["--data-dir", str(data), "user", "create", "root", "--role", "admin", "--json"])
    main(["--data-dir", str(data), "user", "create", "ann", "--role", "readonly", "--json"])
    old = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert main(["--data-dir", str(data), "user", "create", "bob", "--role", "boss"]) == 1
    err = capsys.readouterr().err
    assert "role" in err and "admin, responder, readonly" in err
    assert main(["--data-dir", str(data), "user", "disable", "root"]) == 1  # the last admin
    assert "no enabled admin" in capsys.readouterr().err

    assert main(["--data-dir", str(data), "user", "rotate-key", "ann", "--json"]) == 0
    new = json.loads(capsys.readouterr().out)
    assert new["AccessKeyId"] != old["AccessKeyId"]
    assert _resolves(data, old["AccessKeyId"]) is None
    assert _resolves(data, new["AccessKeyId"])[0] == "ann"
    assert main(["--data-dir", str(data), "user", "disable", "ann"]) == 0
    assert _resolves(data, new["AccessKeyId"]) is None


async def _cockpit(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cockpit.cli", *args, env={**os.environ, **env},
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return proc.returncode, out.decode(), err.decode()


async def test_through_endpoint_as_an_admin_only(served):
    admin_id, admin_secret = served.keys["admin"]
    env = {"COCKPIT_ACCESS_KEY_ID": admin_id, "COCKPIT_SECRET_ACCESS_KEY": admin_secret}
    code, out, err = await _cockpit("user", "create", "remote-ann", "--role", "responder", "--json",
                                    "--endpoint", served.url, env=env)
    assert code == 0, err
    pair = json.loads(out)
    principal, secret = await resolve_access_key(served.core, pair["AccessKeyId"])
    assert (principal.name, secret) == ("remote-ann", pair["SecretAccessKey"])

    ann_id, ann_secret = served.keys["ann"]
    code, out, err = await _cockpit("user", "create", "sneaky", "--role", "admin", "--endpoint", served.url,
                                    env={"COCKPIT_ACCESS_KEY_ID": ann_id, "COCKPIT_SECRET_ACCESS_KEY": ann_secret})
    assert code == 1 and "AccessDenied" in err
    code, out, err = await _cockpit("user", "list", "--endpoint", served.url,
                                    env={"COCKPIT_ACCESS_KEY_ID": "", "COCKPIT_SECRET_ACCESS_KEY": ""})
    assert code == 2 and "COCKPIT_ACCESS_KEY_ID" in err  # no credentials, no prompt without a terminal
