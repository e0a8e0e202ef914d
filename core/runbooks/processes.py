"""Running a program for a step: no shell, a minimal environment, output capped, and the
process killed if the step is cancelled (a timeout or a stop cancels the awaiting task)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass

OUTPUT_CAP = 256 * 1024  # bytes kept of stdout and of stderr each
BASE_ENV = {"PATH": os.defpath, "LANG": "C.UTF-8"}


@dataclass(frozen=True)
class Finished:
    exit_code: int
    stdout: str
    stderr: str


async def run_program(argv: list[str], *, env: dict[str, str], stdin: bytes = b"") -> Finished:
    """Run ``argv`` (argv[0] a path) in a scratch directory; never through a shell."""
    with tempfile.TemporaryDirectory(prefix="cockpit-step-") as scratch:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=scratch,
            env={**BASE_ENV, **env},
            start_new_session=True,
        )
        try:
            out, err = await proc.communicate(stdin)
        except BaseException:
            if proc.returncode is None:
                proc.kill()
            await asyncio.shield(proc.wait())
            raise
    return Finished(
        exit_code=proc.returncode if proc.returncode is not None else -1,
        stdout=out[:OUTPUT_CAP].decode("utf-8", "replace"),
        stderr=err[:OUTPUT_CAP].decode("utf-8", "replace"),
    )
