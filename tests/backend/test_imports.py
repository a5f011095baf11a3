"""Importing Keras and its backend (``_backend._imports``): none of TensorFlow's start-up
lines printed, global state left alone (other threads' changes too), and a missing
backend package said in one line.

The end-to-end checks run a fresh Python process, since TensorFlow prints its
start-up lines once per process, when it is first imported.
"""

import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._backend import QUIET_LOG_LEVEL, quiet_startup

from helpers import small_functional_model

REPO_ROOT = Path(__file__).resolve().parents[2]

FIT_AND_SEARCH = """
import os
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from skmultimlp import MultiLabelMLPClassifier

X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
MultiLabelMLPClassifier((4,), max_iter=3, random_state=0).fit(X, Y)
GridSearchCV(MultiLabelMLPClassifier((4,), max_iter=3, random_state=0),
             {"alpha": [1e-4, 1e-3]}, cv=2, n_jobs=2).fit(X, Y)
print(os.environ.get("TF_CPP_MIN_LOG_LEVEL"), os.environ.get("TF_XLA_FLAGS"))
"""

FIT = """
import os
from sklearn.datasets import make_multilabel_classification
from skmultimlp import MultiLabelMLPClassifier

X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
MultiLabelMLPClassifier((4,), max_iter=3, random_state=0).fit(X, Y)
print(os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
"""


def run_python(code, tmp_path, **env):
    """Run ``code`` in a new process of this package, without a TensorFlow log level."""
    environ = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_XLA_FLAGS")}
    environ.update(PYTHONPATH=str(REPO_ROOT), PYTHONWARNINGS="ignore",  # loky workers inherit it
                   SKMULTIMLP_CACHE_DIR=str(tmp_path / "cache"), **env)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=environ, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stderr
    return result


def test_a_fit_and_a_two_job_grid_search_print_nothing(tmp_path):
    result = run_python(FIT_AND_SEARCH, tmp_path)
    assert result.stderr == ""
    # the log level and the cache flags were for TensorFlow's start-up only
    assert result.stdout.split() == ["None", "None"]


def test_a_log_level_set_by_the_user_is_respected(tmp_path):
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        pytest.skip("TensorFlow's own log lines")
    result = run_python(FIT, tmp_path, TF_CPP_MIN_LOG_LEVEL="0")
    assert "oneDNN custom operations are on" in result.stderr  # not hidden
    assert "Compiled cluster using XLA" in result.stderr  # an INFO line, level 0 shows it
    assert result.stdout.split() == ["0"]


NOTICES = (
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    b"I0000 00:00:1796028763.696046   17646 port.cc:153] oneDNN custom operations are on.\n"
    b"E0000 00:00:1796028766.377452   17646 cuda_platform.cc:52] failed call to cuInit: INTERNAL\n"
    b"To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild.\n"
)


@pytest.fixture
def no_log_level(monkeypatch):
    # setenv first, so that monkeypatch puts back the variable's absence afterwards
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "")
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL")


def test_start_up_notices_are_dropped_and_other_lines_kept_in_order(no_log_level, capfd):
    with quiet_startup():
        os.write(2, b"before\n" + NOTICES + b"a user's line\n")
        assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == QUIET_LOG_LEVEL
    assert "TF_CPP_MIN_LOG_LEVEL" not in os.environ  # for the block only
    assert capfd.readouterr().err == "before\na user's line\n"


def test_every_line_is_written_back_when_the_import_fails(no_log_level, capfd):
    with pytest.raises(ImportError), quiet_startup():
        os.write(2, NOTICES)
        raise ImportError("no backend")
    assert capfd.readouterr().err == NOTICES.decode()


def test_nothing_is_captured_under_a_user_log_level(monkeypatch, capfd):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    with quiet_startup():
        os.write(2, NOTICES)
        assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"
    assert capfd.readouterr().err == NOTICES.decode()


FIRST_FIT_RANDOM_STATE = """
import random
import numpy as np
from sklearn.datasets import make_multilabel_classification
from skmultimlp import MultiLabelMLPClassifier

X, Y = make_multilabel_classification(60, 5, n_classes=3, random_state=0)
random.seed(1), np.random.seed(1)
python_state, numpy_state = random.getstate(), np.random.get_state()[1].copy()
MultiLabelMLPClassifier((4,), max_iter=3, random_state=0).fit(X, Y)  # imports Keras
print(random.getstate() == python_state, np.array_equal(np.random.get_state()[1], numpy_state))
"""


def test_the_first_fit_in_a_process_leaves_the_global_generators_alone(tmp_path):
    """Importing TensorFlow draws from NumPy's generator, and Keras imports rich, which
    draws from Python's when nothing imported it before (scikit-learn >= 1.9 may have)."""
    result = run_python(FIRST_FIT_RANDOM_STATE, tmp_path)
    assert result.stdout.split() == ["True", "True"]


def test_a_missing_backend_package_is_one_clear_line():
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed: KERAS_BACKEND=torch works here")
    code = ("import numpy as np; from skmultimlp import MultiLabelMLPClassifier as C; "
            "C(max_iter=1).fit(np.eye(4), np.eye(4)[:, :2])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "KERAS_BACKEND": "torch"})
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1].startswith(
        "ImportError: KERAS_BACKEND='torch' needs the 'torch' package, which is not installed")


def test_fit_keeps_global_state_changed_by_another_thread_meanwhile(data, keras_imported):
    """What a fit puts back after importing is only what the import changed."""
    X, Y = data
    saved_rng = np.random.get_state()

    def other_thread():
        np.random.seed(123)
        os.environ["SKMULTIMLP_TEST_OTHER_THREAD"] = "1"

    def builder_that_lets_another_thread_run(**kwargs):
        thread = threading.Thread(target=other_thread)  # runs while the fit is under way
        thread.start()
        thread.join()
        return small_functional_model(**kwargs)

    try:
        MultiLabelMLPClassifier(max_iter=2, early_stopping=False, random_state=0,
                                model=builder_that_lets_another_thread_run).fit(X, Y)
        assert os.environ.get("SKMULTIMLP_TEST_OTHER_THREAD") == "1"
        assert np.array_equal(np.random.get_state()[1], np.random.RandomState(123).get_state()[1])
    finally:
        os.environ.pop("SKMULTIMLP_TEST_OTHER_THREAD", None)
        np.random.set_state(saved_rng)
