"""Tests for skmultimlp.model_selection: iterative-stratification k-fold splitters."""

import time

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from skmultimlp.datasets import load_arff, make_tutorial_dataset
from skmultimlp.model_selection import (
    MultilabelStratifiedKFold,
    RepeatedMultilabelStratifiedKFold,
    iterative_stratification,
)


@pytest.fixture(scope="module")
def small():
    return make_tutorial_dataset(n_samples=120, random_state=0)


@pytest.fixture(scope="module")
def yeast(data_dir):
    return load_arff(data_dir / "yeast" / "yeast.arff")


@pytest.fixture(scope="module")
def medical(data_dir):
    return load_arff(data_dir / "medical" / "medical.arff")


def _folds(cv, X, Y):
    return [test for _, test in cv.split(X, Y)]


def _max_deviation(Y, tests):
    """Largest gap between a label's share of positives in a test fold and overall."""
    overall = Y.mean(axis=0)
    return max(np.abs(Y[test].mean(axis=0) - overall).max() for test in tests)


def _assert_partition(splits, n_samples):
    seen = np.concatenate([test for _, test in splits])
    assert_array_equal(np.sort(seen), np.arange(n_samples))
    for train, test in splits:
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == n_samples


@pytest.mark.parametrize("shuffle, random_state", [(False, None), (True, 0)])
def test_split_is_a_partition(small, shuffle, random_state):
    X, Y = small
    cv = MultilabelStratifiedKFold(4, shuffle=shuffle, random_state=random_state)
    splits = list(cv.split(X, Y))
    assert len(splits) == cv.get_n_splits() == 4
    _assert_partition(splits, len(X))


def test_deterministic(small):
    X, Y = small
    shuffled = MultilabelStratifiedKFold(3, shuffle=True, random_state=7)
    for cv in (MultilabelStratifiedKFold(3), shuffled):
        for a, b in zip(_folds(cv, X, Y), _folds(cv, X, Y), strict=True):
            assert_array_equal(a, b)
    other = _folds(MultilabelStratifiedKFold(3, shuffle=True, random_state=8), X, Y)
    seven = _folds(MultilabelStratifiedKFold(3, shuffle=True, random_state=7), X, Y)
    assert any(not np.array_equal(a, b) for a, b in zip(seven, other, strict=True))


def test_random_state_without_shuffle_is_refused():
    with pytest.raises(ValueError, match="shuffle"):
        MultilabelStratifiedKFold(3, random_state=0)
    with pytest.raises(ValueError, match="n_splits=2 or more"):
        MultilabelStratifiedKFold(1)


def test_sparse_and_boolean_y_give_the_same_folds(small):
    X, Y = small
    cv = MultilabelStratifiedKFold(3, shuffle=True, random_state=0)
    expected = _folds(cv, X, Y)
    for y in (sparse.csr_matrix(Y), Y.astype(bool)):
        for a, b in zip(expected, _folds(cv, X, y), strict=True):
            assert_array_equal(a, b)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(12), "2-D"),
        (np.full((12, 2), 2), "0/1"),
        (None, "needs y"),
    ],
)
def test_bad_y(y, match):
    with pytest.raises(ValueError, match=match):
        next(MultilabelStratifiedKFold(3).split(np.zeros((12, 1)), y))


def test_groups_are_ignored_with_a_warning(small):
    X, Y = small
    with pytest.warns(UserWarning, match="groups parameter is ignored"):
        list(MultilabelStratifiedKFold(3).split(X, Y, groups=np.arange(len(X))))


def test_samples_without_labels_are_spread_evenly():
    Y = np.zeros((10, 2), dtype=bool)
    Y[:2, 0] = True
    folds = iterative_stratification(Y, 2)
    assert_array_equal(np.bincount(folds), [5, 5])
    assert folds[0] != folds[1]


def test_yeast_fold_sizes_and_balance_beat_kfold(yeast):
    X, Y = yeast.X, yeast.Y
    n_splits, n = 10, len(Y)
    stratified = _folds(MultilabelStratifiedKFold(n_splits), X, Y)
    sizes = np.array([len(test) for test in stratified])
    assert np.abs(sizes - n / n_splits).max() <= 0.05 * n / n_splits
    deviation = _max_deviation(Y, stratified)
    for kfold in (KFold(n_splits), KFold(n_splits, shuffle=True, random_state=0)):
        # measured: 0.038 for MultilabelStratifiedKFold, 0.061 and 0.064 for KFold
        assert deviation < 0.75 * _max_deviation(Y, _folds(kfold, X, Y))
    shuffled = _folds(
        MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=0), X, Y
    )
    assert _max_deviation(Y, shuffled) < 0.75 * _max_deviation(
        Y, _folds(KFold(n_splits, shuffle=True, random_state=0), X, Y)
    )


def test_yeast_ten_folds_well_under_a_second(yeast):
    cv = MultilabelStratifiedKFold(10, shuffle=True, random_state=0)
    start = time.perf_counter()
    list(cv.split(yeast.X, yeast.Y))
    assert time.perf_counter() - start < 1.0


def test_medical_every_label_reaches_every_fold_it_can(medical):
    X, Y = medical.X, medical.Y
    n_splits = 5
    enough = Y.sum(axis=0) >= n_splits
    shuffled = MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=1)
    for cv in (MultilabelStratifiedKFold(n_splits), shuffled):
        for test in _folds(cv, X, Y):
            assert (Y[test][:, enough].sum(axis=0) > 0).all()
    # KFold leaves some of these labels out of some test folds.
    missing = [
        (Y[test][:, enough].sum(axis=0) == 0).sum()
        for test in _folds(KFold(n_splits, shuffle=True, random_state=0), X, Y)
    ]
    assert sum(missing) > 0


def test_cross_val_score_and_grid_search(small):
    X, Y = small
    cv = MultilabelStratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(KNeighborsClassifier(), X, Y, cv=cv, scoring="f1_micro")
    assert scores.shape == (3,) and np.all((scores > 0) & (scores <= 1))
    search = GridSearchCV(
        KNeighborsClassifier(), {"n_neighbors": [3, 7]}, cv=cv, scoring="f1_macro"
    ).fit(X, Y)
    assert search.n_splits_ == 3
    assert search.best_params_["n_neighbors"] in (3, 7)


def test_repeated(small):
    X, Y = small
    cv = RepeatedMultilabelStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)
    assert repr(cv) == (
        "RepeatedMultilabelStratifiedKFold(n_repeats=2, n_splits=3, random_state=0)"
    )
    assert cv.get_n_splits() == 6
    splits = list(cv.split(X, Y))
    assert len(splits) == 6
    _assert_partition(splits[:3], len(X))
    _assert_partition(splits[3:], len(X))
    assert not np.array_equal(splits[0][1], splits[3][1])
    for (_, a), (_, b) in zip(splits, cv.split(X, Y), strict=True):
        assert_array_equal(a, b)
    scores = cross_val_score(KNeighborsClassifier(), X, Y, cv=cv, scoring="f1_micro")
    assert scores.shape == (6,)
    with pytest.raises(ValueError, match="2-D"):
        next(cv.split(X, Y[:, 0]))
