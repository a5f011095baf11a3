"""Shared fixtures: the real datasets folder and a global-state guard."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_dir():
    env = os.environ.get("SKMULTIMLP_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def data_dir():
    """The folder of real multi-label datasets (``SKMULTIMLP_DATA`` or ../shared/datasets)."""
    path = _data_dir()
    if not path.is_dir():
        pytest.skip(
            f"real datasets folder not found at {path}; set SKMULTIMLP_DATA to the "
            "folder holding emotions/, yeast/, scene/, medical/"
        )
    return path
