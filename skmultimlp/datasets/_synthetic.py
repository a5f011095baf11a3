"""The synthetic multi-label problem of the tutorials."""

import functools
import numbers

import numpy as np
from sklearn.datasets import make_multilabel_classification


def make_tutorial_dataset(
    n_samples=1000, n_features=10, n_classes=3, n_labels=2, random_state=1
):
    """Make the small synthetic multi-label problem used in the tutorials.

    This is :func:`sklearn.datasets.make_multilabel_classification` with the
    tutorials' defaults: 1000 samples, 10 features, 3 labels.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of samples.
    n_features : int, default=10
        Number of features.
    n_classes : int, default=3
        Number of labels.
    n_labels : int, default=2
        Average number of labels per sample.
    random_state : int, RandomState instance or None, default=1
        Seed of the generator.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The features, float64.
    Y : ndarray of shape (n_samples, n_classes), dtype uint8
        The label indicator matrix, 0 and 1, as the file loaders return it.

    Notes
    -----
    With ``random_state=1`` scikit-learn's generator draws a third label of
    probability about 1e-4, and its rejection sampler then takes several seconds
    (10 s and more on a slow machine) to make the default 1000 samples. Results for
    an integer ``random_state`` are therefore cached: later calls with the same
    arguments return fresh copies at once.

    Examples
    --------
    >>> from skmultimlp.datasets import make_tutorial_dataset
    >>> X, Y = make_tutorial_dataset(n_samples=100, random_state=0)
    >>> X.shape, Y.shape
    ((100, 10), (100, 3))
    >>> sorted(set(Y.ravel().tolist()))
    [0, 1]
    """
    arguments = (n_samples, n_features, n_classes, n_labels)
    if isinstance(random_state, numbers.Integral):
        X, Y = _cached_multilabel_classification(*arguments, int(random_state))
        return X.copy(), Y.copy()
    return _multilabel_classification(*arguments, random_state)


def _multilabel_classification(
    n_samples, n_features, n_classes, n_labels, random_state
):
    X, Y = make_multilabel_classification(
        n_samples,
        n_features,
        n_classes=n_classes,
        n_labels=n_labels,
        random_state=random_state,
    )
    return X.astype(np.float64, copy=False), Y.astype(np.uint8)


_cached_multilabel_classification = functools.lru_cache(maxsize=8)(
    _multilabel_classification
)
