"""Incident Cockpit's headless core.

    from core import open_core, FakeClock
    async with open_core(data_dir) as core:
        client = core.client()
        out = await client.call("StartIncident", {"responsePlanArn": arn})
"""

from core.clock import Clock, FakeClock, SystemClock
from core.runtime import Core, open_core

__all__ = ["Clock", "Core", "FakeClock", "SystemClock", "open_core"]
