"""The persistent compilation cache: where it lives, how it is turned off, and that a
stale, unwritable or unusable folder never breaks a fit.

Fits run in new processes: TensorFlow reads its cache folder once per process and
JAX's setting is process-wide.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from skmultimlp._backend import _disk_cache as _compile_cache
from skmultimlp._backend._disk_cache import backend_cache_dir, cache_root, tensorflow_flags

REPO_ROOT = Path(__file__).resolve().parents[2]

FIT = """
from sklearn.datasets import make_multilabel_classification
from skmultimlp import MultiLabelMLPClassifier

X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
est = MultiLabelMLPClassifier((4,), max_iter=3, random_state=0).fit(X, Y)
print(repr(est.loss_curve_))
"""


def fit_in_new_process(tmp_path, cache):
    environ = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_XLA_FLAGS")}
    environ.update(PYTHONPATH=str(REPO_ROOT), PYTHONWARNINGS="ignore", SKMULTIMLP_CACHE_DIR=cache,
                   XDG_CACHE_HOME=str(tmp_path / "xdg"))
    result = subprocess.run([sys.executable, "-c", FIT], capture_output=True, text=True,
                            env=environ, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def entries(folder):
    return [p for p in Path(folder).rglob("*") if p.is_file()]


@pytest.mark.parametrize("value", ["0", "off", "OFF", "false", "no"])
def test_the_variable_turns_the_cache_off(monkeypatch, value):
    monkeypatch.setenv("SKMULTIMLP_CACHE_DIR", value)
    assert cache_root() is None
    assert backend_cache_dir("jax", "1") is None
    assert tensorflow_flags(None) is None


def test_default_folder_is_the_user_cache_folder(monkeypatch, tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG_CACHE_HOME is the Linux convention")
    monkeypatch.delenv("SKMULTIMLP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "skmultimlp"


def test_folders_are_per_backend_version_and_processor(monkeypatch, tmp_path):
    monkeypatch.setenv("SKMULTIMLP_CACHE_DIR", str(tmp_path))
    folder, writable = backend_cache_dir("tensorflow", "2.99")
    assert writable and folder.parent == tmp_path and folder.name.startswith("tensorflow-2.99-")
    monkeypatch.setattr(_compile_cache, "_machine_tag", lambda: "another-cpu")
    assert backend_cache_dir("tensorflow", "2.99")[0] != folder


def test_tensorflow_flags_keep_the_users_own(monkeypatch, tmp_path):
    monkeypatch.setenv("SKMULTIMLP_CACHE_DIR", str(tmp_path))
    flags = tensorflow_flags("--tf_xla_auto_jit=2")
    assert flags.startswith("--tf_xla_auto_jit=2 --tf_xla_persistent_cache_directory=" + str(tmp_path))
    assert tensorflow_flags("--tf_xla_persistent_cache_directory=/elsewhere") is None


def test_an_unwritable_folder_is_read_only_for_tensorflow(monkeypatch, tmp_path):
    monkeypatch.setenv("SKMULTIMLP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_compile_cache.os, "access", lambda path, mode: False)
    assert tensorflow_flags(None).endswith(" --tf_xla_persistent_cache_read_only=true")


def test_an_unusable_folder_turns_the_cache_off(monkeypatch, tmp_path):
    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv("SKMULTIMLP_CACHE_DIR", str(tmp_path / "a_file" / "cache"))
    assert backend_cache_dir("jax", "1") is None


def test_a_fit_fills_the_cache_and_the_next_process_survives_stale_entries(tmp_path):
    cache = tmp_path / "cache"
    curve = fit_in_new_process(tmp_path, str(cache))
    stored = entries(cache)
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend == "torch":
        assert stored == []  # nothing is compiled under PyTorch
        return
    assert stored and all(p.relative_to(cache).parts[0].startswith(backend) for p in stored)
    for path in stored:  # stale or damaged entries: recompiled, same result
        path.write_bytes(b"not an executable")
    assert fit_in_new_process(tmp_path, str(cache)) == curve


@pytest.mark.skipif(os.environ.get("KERAS_BACKEND") != "jax", reason="JAX's cache only")
def test_jax_caches_the_model_building_operations_too(tmp_path):
    # Keras draws the first weights with eager operations, each compiled by JAX; the
    # cache is configured before them, so a new process loads them instead (they were
    # 0.56 s of a 1.19 s warm first fit on emotions, docs/performance.md).
    cache = tmp_path / "cache"
    fit_in_new_process(tmp_path, str(cache))
    names = [p.name for p in entries(cache)]
    assert any(name.startswith("jit__uniform") for name in names), names


def test_turned_off_or_read_only_nothing_is_written_and_fits_work(tmp_path):
    curve = fit_in_new_process(tmp_path, "off")
    assert not (tmp_path / "xdg" / "skmultimlp").exists()
    read_only = tmp_path / "read_only"
    read_only.mkdir()
    read_only.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert fit_in_new_process(tmp_path, str(read_only)) == curve
        if not os.access(read_only, os.W_OK):  # root writes anywhere
            assert entries(read_only) == []
    finally:
        read_only.chmod(stat.S_IRWXU)
