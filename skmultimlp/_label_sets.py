"""Indicator matrices to label sets and back, for predictions made anywhere.

``MultiLabelMLPClassifier.predict_label_sets`` needs the estimator itself; once it
sits inside a ``Pipeline`` or a ``GridSearchCV``, or for another classifier's
predictions, these two functions do the same from a 0/1 matrix and the names of
its columns (``classes_``, or ``label_names`` of a dataset loader).
"""

import numpy as np
from scipy import sparse

__all__ = ["label_indicator", "label_sets"]


def _names(classes, n_labels, what):
    names = np.empty(len(classes), dtype=object)  # keeps Python str/int, any mix
    names[:] = list(classes)
    if len(names) != n_labels:
        raise ValueError(f"classes has {len(names)} names but {what} has {n_labels} columns.")
    if len(set(names.tolist())) != len(names):
        raise ValueError("classes must not name a label twice.")
    return names


def label_sets(Y, classes=None):
    """The labels of each row of an indicator matrix, as a tuple of names.

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        A 0/1 label indicator matrix (any integer, boolean or float dtype), such as
        the output of ``predict``, or a pandas DataFrame of 0/1 columns.
    classes : array-like of shape (n_labels,), default=None
        The name of each column: the fitted estimator's ``classes_`` or a loader's
        ``label_names``. By default the DataFrame's column names, or the column
        indices ``0, ..., n_labels - 1`` for an array.

    Returns
    -------
    label_sets : list of tuple
        One tuple per row, holding the names of its columns that are 1, in column
        order; an empty tuple for a row without labels.

    Raises
    ------
    ValueError
        If ``Y`` is not 2-D, holds values other than 0 and 1, or ``classes`` does
        not have one distinct name per column.

    See Also
    --------
    label_indicator : The inverse: label sets to an indicator matrix.
    MultiLabelMLPClassifier.predict_label_sets : The same from the estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultimlp import label_sets
    >>> Y = np.array([[1, 0, 1], [0, 0, 0], [0, 1, 0]], dtype=np.uint8)
    >>> label_sets(Y, ["rain", "sun", "wind"])
    [('rain', 'wind'), (), ('sun',)]
    >>> label_sets(Y)
    [(0, 2), (), (1,)]
    """
    if classes is None and hasattr(Y, "columns"):
        classes = list(Y.columns)
    if sparse.issparse(Y):
        Y = sparse.csr_matrix(Y)  # no copy for a CSR matrix
        if not Y.has_canonical_format:  # repeated entries would be counted twice
            Y = Y.copy()
            Y.sum_duplicates()
        if not np.isin(Y.data, (0, 1)).all():
            raise ValueError("Y must contain only 0 and 1.")
        names = _names(range(Y.shape[1]) if classes is None else classes, Y.shape[1], "Y")
        ones, indptr = Y.data == 1, Y.indptr  # stored zeros are not labels
        return [tuple(names[Y.indices[a:b][ones[a:b]]]) for a, b in zip(indptr[:-1], indptr[1:])]
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(f"Y must be a 2-D label indicator matrix, got shape {Y.shape}.")
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError("Y must contain only 0 and 1.")
    names = _names(range(Y.shape[1]) if classes is None else classes, Y.shape[1], "Y")
    return [tuple(names[np.flatnonzero(row)]) for row in Y]


def label_indicator(label_sets, classes):
    """The indicator matrix of label sets: ``Y[i, j] = 1`` when row ``i`` has ``classes[j]``.

    Parameters
    ----------
    label_sets : iterable of iterables
        The labels of each sample, e.g. ``[("rain", "wind"), (), ("sun",)]``.
    classes : array-like of shape (n_labels,)
        The name of each column, in order.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_labels), dtype uint8
        The 0/1 label indicator matrix.

    Raises
    ------
    ValueError
        If a sample has a label that is not in ``classes``, or ``classes`` names a
        label twice.

    Examples
    --------
    >>> from skmultimlp import label_indicator
    >>> label_indicator([("rain", "wind"), (), ("sun",)], ["rain", "sun", "wind"])
    array([[1, 0, 1],
           [0, 0, 0],
           [0, 1, 0]], dtype=uint8)
    """
    names = _names(classes, len(classes), "classes")
    column = {name: j for j, name in enumerate(names.tolist())}
    rows = [tuple(labels) for labels in label_sets]
    Y = np.zeros((len(rows), len(names)), dtype=np.uint8)
    for i, labels in enumerate(rows):
        unknown = [label for label in labels if label not in column]
        if unknown:
            raise ValueError(f"Sample {i} has label(s) not in classes: {unknown[:5]}.")
        Y[i, [column[label] for label in labels]] = 1
    return Y
