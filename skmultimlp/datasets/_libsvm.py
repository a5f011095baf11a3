"""Multi-label LIBSVM / svmlight files, read by scikit-learn."""

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.preprocessing import MultiLabelBinarizer

from ._base import MultilabelDataset, existing_file


def load_libsvm_multilabel(path, n_features=None):
    """Load a multi-label dataset in LIBSVM / svmlight format.

    Each line reads ``l1,l2,... idx:val idx:val ...``; it is parsed by
    :func:`sklearn.datasets.load_svmlight_file` with ``multilabel=True``.

    Parameters
    ----------
    path : str or path-like
        The LIBSVM file.
    n_features : int, default=None
        Number of features; by default the largest index in the file.

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``: a float64 CSR ``X``, a 0/1 integer
        ``Y`` with one column per label id seen in the file (sorted), the label ids
        as strings, and feature names ``"x0", "x1", ...``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_libsvm_multilabel
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.svm"
    ...     _ = path.write_text("0,2 1:0.5 3:1\\n1 2:1.5\\n")
    ...     X, Y, label_names, feature_names = load_libsvm_multilabel(path)
    >>> X.toarray()
    array([[0.5, 0. , 1. ],
           [0. , 1.5, 0. ]])
    >>> Y
    array([[1, 0, 1],
           [0, 1, 0]])
    >>> label_names
    ['0', '1', '2']
    """
    path = existing_file(path)
    X, y = load_svmlight_file(
        str(path), n_features=n_features, multilabel=True, dtype=np.float64
    )
    binarizer = MultiLabelBinarizer()
    Y = binarizer.fit_transform(y).astype(np.int64, copy=False)
    return MultilabelDataset(
        X=X.tocsr(),
        Y=Y,
        label_names=[f"{label:g}" for label in binarizer.classes_],
        feature_names=[f"x{i}" for i in range(X.shape[1])],
    )
