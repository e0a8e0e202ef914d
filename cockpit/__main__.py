"""``python -m cockpit`` and the ``cockpit`` command.

Start-up runs without the cyclic garbage collector: importing the cockpit allocates a few
hundred thousand objects and frees almost none in cycles, yet generational collections kept
walking them (about 0.1 s CPU of a cold start, a sixth of the imports). The cockpit turns it
back on, with what start-up made frozen out of later collections, as soon as its app is
running (``CockpitApp.on_mount``); every other command turns it back on before it runs.
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    gc.disable()
    from cockpit.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
