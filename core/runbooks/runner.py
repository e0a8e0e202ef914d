"""The steps that reach outside the core (aws:executeScript, cockpit:runCommand,
cockpit:httpRequest) run here, as tasks beside the event loop's other work, after the
transaction that started them commits; each reports back through ``executor.finish_run`` in
a transaction of its own. A timeout or a stop cancels the task (which kills its process).
At start, a step a crash left running is run again (at least once).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from core.engine.context import Context
from core.runbooks import executor
from core.runbooks.commands import run_command
from core.runbooks.http_steps import http_request
from core.runbooks.results import StepFailed
from core.runbooks.scripts import execute_script
from core.store.db import loads

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.core.runbooks")


class StepRunner:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._tasks: dict[tuple[str, int], asyncio.Task[None]] = {}
        self.launched = asyncio.Event()  # set at every launch (benchmarks and tests wait on it)

    def launch(self, execution_id: str, seq: int, attempt: int, action: str, step_name: str,
               inputs: dict[str, Any], timeout_s: float) -> None:
        key = (execution_id, seq)
        old = self._tasks.pop(key, None)
        if old is not None:
            old.cancel()
        task = asyncio.create_task(
            self._run(execution_id, seq, attempt, action, step_name, inputs, timeout_s),
            name=f"runbook-step-{execution_id}-{seq}",
        )
        self._tasks[key] = task
        task.add_done_callback(lambda t: self._tasks.pop(key, None) if self._tasks.get(key) is t else None)
        self.launched.set()

    def cancel(self, execution_id: str, seq: int) -> None:
        task = self._tasks.pop((execution_id, seq), None)
        if task is not None:
            task.cancel()

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until every step running now (and any it hands on to) has reported back."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def _act(self, action: str, step_name: str, inputs: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        config = self.core.config.runbooks
        if action == "aws:executeScript":
            return await execute_script(config, step_name, inputs)
        if action == "cockpit:runCommand":
            return await run_command(config, inputs)
        return await http_request(inputs, timeout_s)

    async def _run(self, execution_id: str, seq: int, attempt: int, action: str, step_name: str,
                   inputs: dict[str, Any], timeout_s: float) -> None:
        result: dict[str, Any] | None = None
        error: str | None = None
        try:
            result = await self._act(action, step_name, inputs, timeout_s)
        except StepFailed as exc:
            error = str(exc)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a defect or an OS error: the step fails, saying what happened
            log.exception("runbook step %s failed unexpectedly", step_name)
            error = f"{type(exc).__name__}: {exc}"
        core = self.core
        async with core.db.transaction() as tx:
            ctx = Context(core, tx, core.system_principal, origin="runbook")
            await executor.finish_run(ctx, execution_id, seq, attempt, result, error)

    async def start(self) -> None:
        """Run again the external steps a stop or crash left running."""
        async with self.core.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT s.execution_id, s.seq, s.attempt, s.action, s.step_name, s.inputs, e.doc FROM runbook_steps s"
                " JOIN runbook_executions e ON e.id = s.execution_id"
                " WHERE s.status = 'InProgress' AND e.status = 'InProgress' AND s.action IN (?, ?, ?)",
                tuple(executor.EXTERNAL_ACTIONS),
            )
        for row in rows:
            step = next(s for s in loads(row["doc"])["mainSteps"] if s["name"] == row["step_name"])
            timeout = step.get("timeoutSeconds") or executor.EXTERNAL_ACTIONS[row["action"]]
            self.launch(row["execution_id"], row["seq"], row["attempt"], row["action"], row["step_name"],
                        loads(row["inputs"]), timeout)

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
