"""The architecture's arrows: import-linter's contracts hold, and the core stays headless."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI = ("textual", "rich", "cockpit", "widgets")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CORE_LAYERS = "core-layers"
CORE_ACYCLIC = "core-acyclic"

needs_lint_imports = pytest.mark.skipif(
    not LINT_IMPORTS.exists(),
    reason=f"lint-imports is not installed at {LINT_IMPORTS} (pip install -e '.[dev]' installs it)",
)


def _lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c.get("id") == contract_id)


@needs_lint_imports
def test_import_linter_contracts_pass():
    out = _lint_imports()
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout, out.stdout


@needs_lint_imports
def test_core_layers_and_acyclic_contracts_are_kept():
    contract = _contract(CORE_LAYERS)
    assert contract["type"] == "layers" and contract["containers"] == ["core"]
    assert contract["exhaustive"] is True
    tops = [layer.split("|")[0].strip() for layer in contract["layers"]]
    order = ["server", "client", "ops", "engine", "store", "model"]
    assert [t for t in tops if t in order] == order, contract["layers"]
    assert _contract(CORE_ACYCLIC)["ancestors"] == ["core"]
    out = _lint_imports("--contract", CORE_LAYERS, "--contract", CORE_ACYCLIC)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 kept, 0 broken" in out.stdout, out.stdout


@needs_lint_imports
@pytest.mark.parametrize(
    ("probes", "says"),
    [
        ({"engine/probe.py": "from core.ops import registry\n"}, "core.engine is not allowed to import core.ops"),
        ({"store/probe.py": "from core.engine import context\n"}, "core.store is not allowed to import core.engine"),
        ({"paging/probe.py": "from core.security import keys\n"}, "core.paging is not allowed to import core.security"),
        ({"probe.py": "X = 1\n"}, "core.probe"),
        ({"ops/probe_a.py": "from core.ops import probe_b\n", "ops/probe_b.py": "from core.ops import probe_a\n"},
         "No cycles are allowed in core.ops"),
    ],
    ids=["engine-imports-ops", "store-imports-engine", "paging-imports-security", "unplaced-module", "cycle-in-ops"],
)
def test_core_contracts_break_on_an_upward_import_or_a_cycle(tmp_path: Path, probes: dict[str, str], says: str):
    """A copy of core with one upward, sideways or unplaced module, or a cycle, fails the contracts."""
    shutil.copytree(ROOT / "core", tmp_path / "core", ignore=shutil.ignore_patterns("__pycache__"))
    for probe, line in probes.items():
        (tmp_path / "core" / probe).write_text(line)
    toml = ['[tool.importlinter]', 'root_packages = ["core"]', "exclude_type_checking_imports = true"]
    for contract_id in (CORE_LAYERS, CORE_ACYCLIC):
        toml += ["", "[[tool.importlinter.contracts]]"]
        toml += [f"{key} = {json.dumps(value)}" for key, value in _contract(contract_id).items()]
    (tmp_path / "pyproject.toml").write_text("\n".join(toml) + "\n")
    out = _lint_imports(cwd=tmp_path)
    assert out.returncode != 0, out.stdout + out.stderr
    assert says in " ".join(out.stdout.split()), out.stdout


def test_importing_the_core_loads_no_ui_module():
    probe = (
        "import sys, core, core.runtime\n"
        "from core import open_core, FakeClock\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {UI!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"core imported UI modules: {out.stdout.strip()}"
