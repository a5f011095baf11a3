"""The backend seam (``_backend._compile``): the LRU compile cache, tensors that share
NumPy's memory, nested values converted as they are, fits in two threads at once."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp._arrays import aligned_zeros
from skmultimlp._backend import _compile as _backend
from skmultimlp._backend import cached_compile, compiled_keys, shared_tensors, to_tensors
from skmultimlp._inputs import SparseRows

from helpers import FAST

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def empty_cache(monkeypatch):
    """A new cache of 2 entries, whose "compilation" only records what it was given."""
    monkeypatch.setattr(_backend, "_CACHE", type(_backend._CACHE)())
    monkeypatch.setattr(_backend, "MAX_CACHED_FUNCTIONS", 2)
    monkeypatch.setattr(_backend, "compile_function", lambda fn, autograph=False: ("compiled", fn))


def test_the_cache_keeps_the_most_recently_used_functions(empty_cache):
    made = []

    def maker(name):
        return lambda: made.append(name) or name

    assert cached_compile("a", maker("a")) == ("compiled", "a")
    cached_compile("b", maker("b"))
    assert cached_compile("a", maker("a again")) == ("compiled", "a")  # a hit: not made again
    cached_compile("c", maker("c"))  # the least recently used, "b", goes
    assert made == ["a", "b", "c"] and compiled_keys() == {"a", "c"}
    cached_compile("b", maker("b"))
    assert made[-1] == "b" and compiled_keys() == {"b", "c"}


def test_a_function_without_a_key_is_compiled_every_time_and_not_kept(empty_cache):
    made = []
    for _ in range(2):
        cached_compile(None, lambda: made.append(1) or "f")
    assert len(made) == 2 and compiled_keys() == set()


def test_compiled_keys_is_a_copy(empty_cache):
    cached_compile("a", lambda: "a")
    compiled_keys().add("b")
    assert compiled_keys() == {"a"}


def test_cache_is_bounded(monkeypatch):
    X, Y = make_multilabel_classification(40, 4, n_classes=2, random_state=0)
    monkeypatch.setattr(_backend, "MAX_CACHED_FUNCTIONS", 2)
    for units in (1, 2, 3):
        MultiLabelMLPClassifier((units,), max_iter=1).fit(X, Y)
    assert len(_backend._CACHE) <= 2


def _on_cpu_sharing(keras):
    return keras.backend.backend() in ("tensorflow", "jax") and _backend._on_cpu(keras.backend.backend())


def test_aligned_arrays_are_shared_and_others_copied(keras_imported):
    from keras import ops

    if not _on_cpu_sharing(keras_imported):
        pytest.skip("shared through DLPack on TensorFlow's and JAX's CPU only")
    aligned = aligned_zeros((4, 16), np.float32)
    tensor = shared_tensors(aligned)
    aligned[1, 2] = 7.0  # the tensor sees the change: one buffer
    assert ops.convert_to_numpy(tensor)[1, 2] == 7.0

    misaligned = aligned_zeros(17, np.float32)[1:]  # 4 bytes past a 64-byte boundary
    assert misaligned.flags.c_contiguous and misaligned.ctypes.data % _backend.ALIGNMENT != 0
    transposed = aligned_zeros((4, 4), np.float32).T  # not C-contiguous
    copies = shared_tensors([misaligned, transposed])
    misaligned[0], transposed[0, 1] = 5.0, 5.0
    assert ops.convert_to_numpy(copies[0])[0] == 0.0 and ops.convert_to_numpy(copies[1])[0, 1] == 0.0


def test_nested_values_keep_their_types(keras_imported):
    from keras import ops

    rows = SparseRows(np.array([[1, 0]], np.int32), np.array([[2.0, 0.0]], np.float32))
    for convert in (to_tensors, shared_tensors):
        tensors = convert([rows, (np.ones(3, np.float32),)])
        assert type(tensors) is list and type(tensors[0]) is SparseRows and type(tensors[1]) is tuple
        np.testing.assert_array_equal(ops.convert_to_numpy(tensors[0].indices), [[1, 0]])
        np.testing.assert_array_equal(ops.convert_to_numpy(tensors[0].values), [[2.0, 0.0]])
        assert ops.is_tensor(tensors[1][0])


def test_two_threads_fitting_at_once_match_one_after_the_other(data, keras_imported):
    from concurrent.futures import ThreadPoolExecutor

    X, Y = data
    settings = [{**FAST, "max_iter": 20, "random_state": 1},
                {**FAST, "hidden_layer_sizes": (5,), "max_iter": 20, "random_state": 2}]
    sequential = [MultiLabelMLPClassifier(**p).fit(X, Y).predict_proba(X) for p in settings]
    with ThreadPoolExecutor(2) as pool:
        parallel = list(pool.map(lambda p: MultiLabelMLPClassifier(**p).fit(X, Y).predict_proba(X), settings))
    for ours, theirs in zip(parallel, sequential):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
