"""What the network is trained to predict (``_targets``): target encoding, label
collections, DataFrame targets, sample and class weights, the validation split and
the training data."""

import numpy as np
import pytest
import scipy.sparse as sp

from skmultimlp import MultiLabelMLPClassifier
from skmultimlp import _arrays
from skmultimlp._targets import (
    check_multilabel,
    class_weights,
    encode_target,
    training_data,
    validation_split,
)
from skmultimlp._unknown import UNKNOWN

from helpers import FAST

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# ----------------------------------------------------------------------- encoding


def test_binary_and_multiclass_targets_are_encoded_as_label_binarizer_does():
    target = encode_target(np.array(["b", "a", "c", "a"]))
    assert target.kind == "multiclass" and not target.is_multilabel
    np.testing.assert_array_equal(target.classes, ["a", "b", "c"])
    np.testing.assert_array_equal(target.Y, [[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(target.y1d, [1, 0, 2, 0])
    assert (target.output_activation, target.n_thresholds, target.weigh_validation) == ("softmax", 3, True)

    binary = encode_target(np.array(["no", "yes", "yes", "yes"]))
    assert binary.kind == "binary" and binary.Y.shape == (4, 1)  # one sigmoid
    np.testing.assert_array_equal(binary.Y[:, 0], [0, 1, 1, 1])
    assert (binary.output_activation, binary.n_thresholds, binary.weigh_validation) == ("sigmoid", 1, True)

    multilabel = encode_target(np.array([[1, 0, 1], [0, 1, 0]]))
    assert multilabel.kind == "multilabel" and multilabel.y1d is None
    np.testing.assert_array_equal(multilabel.classes, [0, 1, 2])
    # one threshold per label; class weights leave the validation loss alone
    assert (multilabel.output_activation, multilabel.n_thresholds, multilabel.weigh_validation) == (
        "sigmoid", 3, False)


def test_labels_are_encoded_as_one_byte():
    Y = np.array([[0, 1, 1], [1, 0, 0]], dtype=np.int64)
    assert encode_target(Y).Y.dtype == np.uint8
    assert encode_target(sp.csr_matrix(Y)).Y.dtype == np.uint8
    assert encode_target(Y.astype(float)).Y.dtype == np.uint8
    with pytest.raises(ValueError, match="only 0 and 1; found \\[2\\]"):
        encode_target(sp.csr_matrix(Y * 2))


def test_an_encoded_target_reaches_the_backend_without_another_copy():
    rows = _arrays.MAX_PADDED_ROWS + 1  # above it, the arrays are not padded
    Y = (np.arange(rows * 3).reshape(rows, 3) % 5 == 0).astype(np.int64)
    encoded = check_multilabel(Y, classes=np.arange(3)).Y
    assert encoded.dtype == np.uint8 and encoded.ctypes.data % _arrays.ALIGNMENT == 0
    np.testing.assert_array_equal(encoded, Y)
    assert _arrays.pad(encoded, rows, np.uint8) is encoded  # shared through DLPack as is

    uint8 = Y.astype(np.uint8)
    assert check_multilabel(uint8, classes=np.arange(3)).Y is uint8  # the caller's array, no copy
    with_nan = Y[:10].astype(np.float64)
    with_nan[0, 1] = np.nan
    expected = Y[:10].astype(np.uint8)
    expected[0, 1] = UNKNOWN
    np.testing.assert_array_equal(check_multilabel(with_nan, classes=np.arange(3)).Y, expected)


@pytest.mark.parametrize("y, classes, match", [
    (None, None, "requires y to be passed"),
    (np.array([0.0, 1.0, np.nan]), None, "multi-label targets only"),
    (np.array(["a", "a", "a"]), None, "only one class"),
    (np.array([["a", "b"], ["b", "a"]]), None, "0/1 indicator matrix, got dtype"),
    # NumPy 2 shows the class as np.str_('z') in this message: not wrong, only noisy
    (np.array(["a", "z"]), ["a", "b"], r"classes not in `classes`: \[(np\.str_\()?'z'"),
    ([("a",), ("z",)], ["a", "b"], r"classes not in `classes`: \['z'\]"),
    (np.array([[0, 1, 1], [1, 0, 0]]), [0, 1], "`classes` has 2 labels but the target has 3 columns"),
])
def test_encoding_errors_say_what_is_wrong(y, classes, match):
    with pytest.raises(ValueError, match=match):
        encode_target(y, classes)


# ------------------------------------------------------------ label collections
# Recognised by type: tuples and sets are label sets, and so are lists unless they are
# the rows of a 0/1 matrix (scikit-learn's list-of-lists indicator, as its
# check_classifiers_multilabel_representation_invariance requires).


@pytest.mark.filterwarnings("ignore:Label.*constant:UserWarning")
@pytest.mark.parametrize("y, classes, first_row", [
    ([(1, 2), (0, 3)] * 100, [0, 1, 2, 3], [0, 1, 1, 0]),
    ([[1, 2], [0, 3]] * 100, [0, 1, 2, 3], [0, 1, 1, 0]),
    ([(0, 1), (1,)] * 100, [0, 1], [1, 1]),
    ([{"a"}, {"a", "b"}] * 100, ["a", "b"], [1, 0]),
    ([[0, 1], [1, 0]] * 100, [0, 1], [0, 1]),
])
def test_lists_of_label_lists_are_label_sets(data, y, classes, first_row):
    X, _ = data
    assert encode_target(y).Y[0].tolist() == first_row
    clf = MultiLabelMLPClassifier(**FAST).fit(X, y)
    assert clf.classes_.tolist() == classes
    assert set(clf.predict_label_sets(X[:1])[0]) <= set(classes)


def test_an_indicator_array_stays_an_indicator(data):
    X, _ = data
    clf = MultiLabelMLPClassifier(**FAST).fit(X, np.array([[0, 1], [1, 0]] * 100))
    assert clf.classes_.tolist() == [0, 1]


def test_pandas_series_of_label_lists_is_label_sets(data):
    pd = pytest.importorskip("pandas")
    X, _ = data
    y = pd.Series([["cat"], ["cat", "dog"], []] * 66 + [["dog"], []])
    clf = MultiLabelMLPClassifier(**FAST).fit(X, y)
    assert clf.classes_.tolist() == ["cat", "dog"]


# ------------------------------------------------------------- DataFrame targets
# Nullable pandas columns are accepted; missing values are unknown labels.


@pytest.mark.parametrize("dtype", ["Int64", "boolean", "UInt8"])
def test_nullable_dataframe_targets(data, dtype):
    pd = pytest.importorskip("pandas")
    X, Y = data
    frame = pd.DataFrame(Y, columns=["a", "b", "c", "d"]).astype(dtype)
    expected = MultiLabelMLPClassifier(**FAST).fit(X, Y).predict_proba(X)
    clf = MultiLabelMLPClassifier(**FAST).fit(X, frame)
    assert clf.classes_.tolist() == ["a", "b", "c", "d"]
    np.testing.assert_allclose(clf.predict_proba(X), expected, rtol=1e-6)


def test_missing_values_in_a_dataframe_target_are_unknown_labels(data):
    """A missing value trains as an unknown label (more in tests/test_unknown.py)."""
    pd = pytest.importorskip("pandas")
    X, Y = data
    frame = pd.DataFrame(Y, columns=["a", "b", "c", "d"]).astype("Int64")
    frame.loc[3, "b"] = pd.NA
    as_nan = Y.astype(float)
    as_nan[3, 1] = np.nan
    clf = MultiLabelMLPClassifier(**FAST).fit(X, frame)
    np.testing.assert_array_equal(
        clf.predict_proba(X), MultiLabelMLPClassifier(**FAST).fit(X, as_nan).predict_proba(X)
    )
    assert not np.allclose(
        clf.predict_proba(X), MultiLabelMLPClassifier(**FAST).fit(X, Y).predict_proba(X)
    )


# ---------------------------------------------------------------- sample weights


@pytest.mark.parametrize("first, others, message", [
    (-1.0, 1.0, "Negative values"),
    (0.0, 0.0, "zero for every sample|non-zero"),
])
def test_negative_or_all_zero_sample_weights_are_refused(data, first, others, message):
    X, Y = data
    weights = np.r_[first, np.full(len(X) - 1, others)]
    with pytest.raises(ValueError, match=message):
        MultiLabelMLPClassifier(**FAST).fit(X, Y, sample_weight=weights)


# ----------------------------------------------------------------- class weights


def test_class_weights_of_a_multilabel_target():
    target = encode_target(np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 0, 1]]))
    pos, neg = class_weights(None, target)
    np.testing.assert_array_equal(pos, [1, 1, 1])
    np.testing.assert_array_equal(neg, [1, 1, 1])
    pos, neg = class_weights({2: 3.0}, target)  # a dict weighs the positives of a label by name
    np.testing.assert_array_equal(pos, [1, 1, 3])
    np.testing.assert_array_equal(neg, [1, 1, 1])
    pos, neg = class_weights([2.0, 1.0, 0.5], target)
    assert pos.dtype == np.float32 and pos.tolist() == [2.0, 1.0, 0.5]
    # "balanced": n / (2 * count) for the positives and for the negatives of each label
    pos, neg = class_weights("balanced", target)
    np.testing.assert_allclose(pos, [4 / (2 * 2), 4 / (2 * 1), 4 / (2 * 3)])
    np.testing.assert_allclose(neg, [4 / (2 * 2), 4 / (2 * 3), 4 / (2 * 1)])
    with pytest.raises(ValueError, match="class_weight names label 7"):
        class_weights({7: 2.0}, target)
    with pytest.raises(ValueError, match="class_weight has 2 values but the target has 3 labels"):
        class_weights([1.0, 2.0], target)
    with pytest.raises(ValueError, match="positive and finite"):
        class_weights([1.0, 0.0, 1.0], target)


def test_balanced_weights_of_a_constant_label_are_one():
    with pytest.warns(UserWarning, match="constant"):
        target = encode_target(np.array([[1, 0], [0, 0], [1, 0]]))
    pos, neg = class_weights("balanced", target)
    np.testing.assert_allclose(pos, [3 / 4, 1])
    np.testing.assert_allclose(neg, [3 / 2, 1])


def test_class_weights_of_binary_and_multiclass_targets_are_scikit_learns():
    binary = encode_target(np.array(["no", "yes", "yes", "yes"]))
    pos, neg = class_weights("balanced", binary)  # one sigmoid: its positives are "yes"
    np.testing.assert_allclose(pos, [4 / (2 * 3)])
    np.testing.assert_allclose(neg, [4 / (2 * 1)])
    multiclass = encode_target(np.array(["a", "b", "c", "a"]))
    pos, neg = class_weights({"b": 2.0}, multiclass)  # a softmax: the classes' own weights
    np.testing.assert_allclose(pos, [1, 2, 1])
    np.testing.assert_array_equal(neg, [1, 1, 1])
    with pytest.raises(ValueError, match="must be 'balanced' or a dict"):
        class_weights([1.0, 2.0, 3.0], multiclass)


def test_encoding_and_balanced_class_weights_count_known_entries():
    Y = np.array([[1, 0], [np.nan, 0], [0, np.nan], [np.nan, 1], [0, 0]])
    target = encode_target(Y)
    assert target.has_unknown and target.Y.dtype == np.uint8
    np.testing.assert_array_equal(target.Y, [[1, 0], [UNKNOWN, 0], [0, UNKNOWN], [UNKNOWN, 1], [0, 0]])
    pos, neg = class_weights("balanced", target)
    # label 0: 3 known (1 positive, 2 negatives); label 1: 4 known (1 positive, 3 negatives)
    np.testing.assert_allclose(pos, [3 / 2, 4 / 2])
    np.testing.assert_allclose(neg, [3 / 4, 4 / 6])
    assert not encode_target(np.nan_to_num(Y)).has_unknown


# -------------------------------------------------------------- validation split


@pytest.mark.parametrize("n, fraction, n_held", [(100, 0.1, 10), (101, 0.1, 11), (50, 0.001, 1), (5, 0.99, 4)])
def test_validation_split_holds_out_the_fraction_and_at_least_one_row_each(n, fraction, n_held):
    target = encode_target(np.arange(n) % 2)
    train, held = validation_split(n, target, fraction, 0)
    assert len(held) == n_held
    np.testing.assert_array_equal(np.sort(np.r_[train, held]), np.arange(n))  # a partition


def test_validation_split_of_a_binary_target_is_stratified():
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    train, held = validation_split(100, encode_target(y), 0.2, 3)
    assert len(held) == 20 and y[held].sum() == 4  # 20% of the positives
    np.testing.assert_array_equal(validation_split(100, encode_target(y), 0.2, 3)[1], held)
    with pytest.raises(ValueError, match="at least 2 samples.*early_stopping=False"):
        validation_split(1, encode_target(y), 0.2, 3)


def test_stratified_split_holds_every_label_seen_twice():
    rng = np.random.default_rng(0)
    Y = (rng.random((150, 12)) < 0.25).astype(np.uint8)
    Y[:, 8:] = 0
    for label, count in zip(range(8, 12), (1, 2, 2, 3)):  # rare labels
        Y[rng.choice(150, count, replace=False), label] = 1
    X = np.arange(150, dtype=np.float32)[:, None]
    target = encode_target(Y)

    def split(seed):
        train, held = validation_split(len(Y), target, 0.1, seed)
        return X[train, 0], Y[train], X[held, 0], Y[held]

    X_train, Y_train, X_val, Y_val = split(7)
    assert sorted(np.concatenate([X_train, X_val])) == list(range(150))  # a partition
    assert 14 <= len(X_val) <= 20  # about 10%, plus rows moved in for rare labels
    present_twice = Y.sum(axis=0) >= 2
    assert np.all(Y_val[:, present_twice].sum(axis=0) >= 1)
    assert np.all(Y_train[:, Y.sum(axis=0) >= 1].sum(axis=0) >= 1)  # and none left untrained
    np.testing.assert_array_equal(split(7)[2], X_val)  # deterministic for a seed
    assert not np.array_equal(split(8)[2], X_val)


# ------------------------------------------------------------------ training data


def test_training_data_indexes_the_training_rows_and_copies_the_held_out_ones():
    X = np.arange(40, dtype=np.float32).reshape(20, 2)
    target = encode_target((np.arange(40).reshape(20, 2) % 3 == 0).astype(np.uint8))
    weights = np.linspace(1, 2, 20)
    everything = training_data(X, target, weights, 0.0, 0)
    assert everything.X is X and everything.Y is target.Y  # neither copied
    assert everything.validation is None and everything.rows is None
    assert everything.W.dtype == np.float32

    data = training_data(X, target, weights, 0.25, 0)
    train, held = validation_split(20, target, 0.25, 0)
    assert data.X is X  # the training rows are an index into X
    np.testing.assert_array_equal(data.rows, train)
    np.testing.assert_array_equal(data.validation.X, X[held])
    np.testing.assert_array_equal(data.validation.Y, target.Y[held])
    np.testing.assert_allclose(data.validation.W, weights[held].astype(np.float32))


def test_training_data_of_sparse_features_is_csr():
    X = sp.random(10, 6, density=0.3, format="csc", random_state=0, dtype=np.float32)
    target = encode_target(np.eye(10, 2, dtype=np.uint8) + np.eye(10, 2, -1, dtype=np.uint8))
    data = training_data(X, target, np.ones(10), 0.0, 0)
    assert data.X.format == "csr"
    np.testing.assert_array_equal(data.X.toarray(), X.toarray())
    csr = X.tocsr()
    assert training_data(csr, target, np.ones(10), 0.0, 0).X is csr


def test_a_rows_weight_is_scaled_by_its_share_of_known_labels():
    Y = np.array([[1, 0], [np.nan, 1], [np.nan, np.nan], [0, 1]])
    data = training_data(np.zeros((4, 3), np.float32), encode_target(Y), np.full(4, 2.0), 0.0, 0)
    np.testing.assert_allclose(data.W, [2.0, 1.0, 0.0, 2.0])
    np.testing.assert_array_equal(data.Y[2], [UNKNOWN, UNKNOWN])
