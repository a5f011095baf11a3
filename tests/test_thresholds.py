"""Turning probabilities into labels (``_thresholds``): one threshold per label, applied
inclusively, and the positive-class probabilities of any multi-label classifier."""

import numpy as np
import pytest

from skmultimlp._thresholds import apply_thresholds, class_column, positive_proba, resolve_thresholds


def test_one_threshold_is_every_labels():
    thresholds = resolve_thresholds(0.3, 4)
    assert thresholds.dtype == np.float64
    np.testing.assert_array_equal(thresholds, [0.3] * 4)
    np.testing.assert_array_equal(resolve_thresholds(np.float32(0.25), 2), [0.25, 0.25])


def test_one_threshold_per_label():
    np.testing.assert_array_equal(resolve_thresholds([0.0, 0.5, 1.0], 3), [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(resolve_thresholds((0.2, 0.7), 2), [0.2, 0.7])


@pytest.mark.parametrize("threshold, match", [
    ([0.1, 0.2], "threshold has 2 values but the target has 3 labels; pass one float or one threshold per label"),
    ([[0.1, 0.2, 0.3]], "threshold has 3 values but the target has 3 labels"),
    ([0.1, 1.5, 0.3], r"thresholds must lie in \[0, 1\], got \[0.1, 1.5, 0.3\]"),
    ([-0.1, 0.5, 0.5], r"must lie in \[0, 1\]"),
    ([0.1, np.nan, 0.3], r"must lie in \[0, 1\]"),
])
def test_wrong_thresholds_are_refused(threshold, match):
    with pytest.raises(ValueError, match=match):
        resolve_thresholds(threshold, 3)


def test_a_probability_equal_to_its_threshold_is_positive():
    proba = np.array([[0.5, 0.29, 0.9], [0.49, 0.3, 0.91]])
    predicted = apply_thresholds(proba, np.array([0.5, 0.3, 0.91]))
    assert predicted.dtype == np.int64
    np.testing.assert_array_equal(predicted, [[1, 0, 0], [0, 1, 1]])
    np.testing.assert_array_equal(apply_thresholds(proba, resolve_thresholds(0.0, 3)), np.ones((2, 3)))
    np.testing.assert_array_equal(apply_thresholds(proba, resolve_thresholds(1.0, 3)), np.zeros((2, 3)))


def test_positive_proba_normalises_lists_and_constant_labels():
    proba = [np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([[1.0], [1.0]]), np.array([[1.0], [1.0]])]
    classes = [np.array([0, 1]), np.array([1]), np.array([0])]
    np.testing.assert_allclose(positive_proba(proba, classes, 3), [[0.8, 1, 0], [0.4, 1, 0]])
    with pytest.raises(ValueError, match="expected"):
        positive_proba(np.zeros((2, 5)), None, 3)


def test_an_array_of_probabilities_is_taken_as_it_is():
    proba = np.array([[0.1, 0.9], [0.6, 0.4]], dtype=np.float32)
    result = positive_proba(proba, None, 2)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, proba)
    with pytest.raises(ValueError, match=r"shape \(2,\); expected \(n_samples, 2\)"):
        positive_proba(np.array([0.1, 0.9]), None, 2)


def test_class_column_finds_the_class_or_gives_zeros():
    proba = np.array([[0.3, 0.7], [0.8, 0.2]])
    np.testing.assert_array_equal(class_column(proba, ["no", "yes"], "yes"), [0.7, 0.2])
    np.testing.assert_array_equal(class_column(proba, [1, 0], 1), [0.3, 0.8])  # by class, not position
    np.testing.assert_array_equal(class_column(proba[:, :1], [0], 1), [0.0, 0.0])
