"""Every script of ``benchmarks/`` imports and answers ``--help``, so that a move of the
package cannot break one silently. Each runs in its own process, as ``python
benchmarks/NAME.py`` would: the scripts import ``_common`` from their own folder.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if p.name != "_common.py")
IMPORT = """
import runpy, sys
sys.path.insert(0, "benchmarks")  # what running the script as a file does
namespace = runpy.run_path(sys.argv[1], run_name="not_main")
assert callable(namespace.get("main")), "no main()"
heavy = sorted({"keras", "tensorflow", "jax"} & set(sys.modules))
assert not heavy, f"imported at module level: {heavy}"
"""


def _run(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_every_script_is_found():
    assert len(SCRIPTS) >= 18, [p.name for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_script_imports_without_running(script):
    """Module-level code runs, ``main`` exists, nothing is measured and Keras is not imported."""
    out = _run("-c", IMPORT, str(script.relative_to(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "", out.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_script_help(script):
    out = _run(str(script.relative_to(ROOT)), "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: {script.name}"), out.stdout
