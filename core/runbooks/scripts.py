"""aws:executeScript: Python run in a separate interpreter (isolated mode, scratch directory,
minimal environment). The script's ``Handler`` function is called with ``InputPayload`` and
returns the step's ``Payload``; what the script prints goes to its log, not the result."""

from __future__ import annotations

import json
import sys
from typing import Any

from core.config import RunbooksConfig
from core.runbooks.processes import run_program
from core.runbooks.results import StepFailed

_HOST = r"""
import json, sys
spec = json.loads(sys.stdin.read())
result_out, sys.stdout = sys.stdout, sys.stderr
namespace = {"__name__": "runbook_script"}
try:
    exec(compile(spec["script"], "<runbook script>", "exec"), namespace)
    handler = namespace.get(spec["handler"])
    if not callable(handler):
        raise LookupError("the script defines no function " + repr(spec["handler"]))
    payload = handler(spec["events"], {"stepName": spec["step"]})
    result_out.write(json.dumps({"Payload": payload}, default=str))
except Exception as exc:
    result_out.write(json.dumps({"error": type(exc).__name__ + ": " + str(exc)}))
"""


async def execute_script(config: RunbooksConfig, step_name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    if not config.scripts_enabled:
        raise StepFailed(
            "aws:executeScript steps are disabled in this core's configuration (runbooks.scripts_enabled)"
        )
    spec = {
        "script": inputs["Script"],
        "handler": inputs["Handler"],
        "events": inputs.get("InputPayload") or {},
        "step": step_name,
    }
    done = await run_program([sys.executable, "-I", "-c", _HOST], env={}, stdin=json.dumps(spec).encode())
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.exit_code}"]
        raise StepFailed(f"the script ended without a result: {tail[0][:500]}") from None
    if "error" in result:
        raise StepFailed(f"the script raised {result['error'][:1000]}")
    return {"Payload": result.get("Payload"), "Log": done.stderr}
