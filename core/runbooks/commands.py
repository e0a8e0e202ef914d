"""cockpit:runCommand: one allow-listed program run with ``Arguments`` as its argv (no shell,
so no text is ever interpreted) and ``Environment`` added to a minimal environment (the core's
own environment, with its secrets, is not passed on)."""

from __future__ import annotations

from typing import Any

from core.config import RunbooksConfig
from core.runbooks.processes import run_program
from core.runbooks.results import StepFailed


def allowed_program(config: RunbooksConfig, command: str) -> str:
    """The allow-listed path ``command`` names (its path or its file name)."""
    for path in config.allowed_commands:
        if command in (str(path), path.name):
            return str(path)
    listed = ", ".join(str(p) for p in config.allowed_commands) or "none"
    raise StepFailed(f"the command {command!r} is not on the allow-list (runbooks.allowed_commands: {listed})")


async def run_command(config: RunbooksConfig, inputs: dict[str, Any]) -> dict[str, Any]:
    if not config.commands_enabled:
        raise StepFailed("cockpit:runCommand steps are disabled in this core's configuration (runbooks.commands_enabled)")
    program = allowed_program(config, inputs["Command"])
    args = inputs.get("Arguments") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise StepFailed("Arguments must be a list of text")
    env = {str(k): str(v) for k, v in (inputs.get("Environment") or {}).items()}
    done = await run_program([program, *args], env=env)
    result = {"ExitCode": done.exit_code, "Stdout": done.stdout, "Stderr": done.stderr}
    if done.exit_code != 0:
        tail = (done.stderr.strip().splitlines() or [""])[-1][:500]
        raise StepFailed(f"{program} exited with code {done.exit_code}" + (f": {tail}" if tail else ""))
    return result
