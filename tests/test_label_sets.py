"""skmultimlp.label_sets and label_indicator: indicator matrices to label names and back."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier, label_indicator, label_sets
from skmultimlp.datasets import make_tutorial_dataset

NAMES = ["rain", "sun", "wind"]
Y = np.array([[1, 0, 1], [0, 0, 0], [0, 1, 0], [1, 1, 1]], dtype=np.uint8)
SETS = [("rain", "wind"), (), ("sun",), ("rain", "sun", "wind")]


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a,
        lambda a: a.astype(np.int64),
        lambda a: a.astype(bool),
        lambda a: a.astype(float).tolist(),
        sparse.csr_matrix,
        sparse.csc_array,
    ],
    ids=["uint8", "int64", "bool", "list", "csr", "csc"],
)
def test_label_sets_of_any_indicator_format(convert):
    assert label_sets(convert(Y), NAMES) == SETS
    assert label_sets(convert(Y)) == [(0, 2), (), (1,), (0, 1, 2)]


def test_stored_zeros_and_repeated_entries_of_a_sparse_matrix():
    data, rows, cols = [1, 0, 1, 1], [0, 0, 2, 2], [0, 1, 1, 1]  # (0, 1) stored as 0
    Y_sparse = sparse.csr_matrix((data, (rows, cols)), shape=(3, 3))  # (2, 1) twice
    with pytest.raises(ValueError, match="only 0 and 1"):  # the repeated entries sum to 2
        label_sets(Y_sparse, NAMES)
    Y_sparse = sparse.csr_matrix(([1, 0, 1], ([0, 0, 2], [0, 1, 1])), shape=(3, 3))
    assert label_sets(Y_sparse, NAMES) == [("rain",), (), ("sun",)]


def test_dataframe_columns_are_the_default_names():
    pd = pytest.importorskip("pandas")
    assert label_sets(pd.DataFrame(Y, columns=NAMES)) == SETS


def test_label_indicator_is_the_inverse():
    indicator = label_indicator(SETS, NAMES)
    assert indicator.dtype == np.uint8
    assert_array_equal(indicator, Y)
    assert_array_equal(label_indicator(label_sets(Y, NAMES), NAMES), Y)
    assert_array_equal(label_indicator([{"wind", "rain"}, []], NAMES), Y[:2])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: label_sets(Y, NAMES[:2]), "classes has 2 names but Y has 3 columns"),
        (lambda: label_sets(Y, ["a", "b", "a"]), "must not name a label twice"),
        (lambda: label_sets(Y[0], NAMES), "must be a 2-D"),
        (lambda: label_sets(Y * 2, NAMES), "only 0 and 1"),
        (lambda: label_sets(sparse.csr_matrix(Y * 2), NAMES), "only 0 and 1"),
        (lambda: label_indicator([("rain", "snow")], NAMES), r"Sample 0 has label\(s\) not in classes: \['snow'\]"),
    ],
)
def test_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # 5 epochs on purpose
def test_predictions_of_a_searched_pipeline_as_named_label_sets():
    # The case predict_label_sets cannot reach: the estimator inside a search.
    pd = pytest.importorskip("pandas")
    X, Y_tutorial = make_tutorial_dataset(n_samples=120, random_state=0)
    target = pd.DataFrame(Y_tutorial, columns=NAMES)
    pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(max_iter=5, random_state=0))
    search = GridSearchCV(pipe, {"multilabelmlpclassifier__alpha": [1e-4, 1e-2]}, cv=2).fit(X, target)
    classes = search.best_estimator_[-1].classes_
    assert_array_equal(classes, NAMES)
    predicted = search.predict(X[:10])
    sets = label_sets(predicted, classes)
    assert sets == search.best_estimator_[-1].predict_label_sets(search.best_estimator_[:-1].transform(X[:10]))
    assert_array_equal(label_indicator(sets, classes), predicted)


def test_version_is_the_installed_metadata():
    from importlib.metadata import version

    import skmultimlp

    assert skmultimlp.__version__ == version("skmultimlp")
    assert {"label_sets", "label_indicator", "__version__"} <= set(skmultimlp.__all__)
