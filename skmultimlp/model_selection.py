"""Cross-validation splitters that stratify multi-label targets.

:class:`~sklearn.model_selection.StratifiedKFold` stratifies one class column; with a
label indicator matrix it cannot keep every label's share of positives in each fold.
The splitters here use *iterative stratification* (Sechidis, Tsoumakas and Vlahavas,
"On the stratification of multi-label data", ECML PKDD 2011): the rarest label is
distributed first, each of its examples going to the fold that still needs the most
positives of that label.
"""

import warnings

import numpy as np
from sklearn.utils import check_random_state

from ._compat import _BaseKFold, _RepeatedSplits
from ._unknown import with_unknowns

__all__ = [
    "MultilabelStratifiedKFold",
    "RepeatedMultilabelStratifiedKFold",
    "iterative_stratification",
]


def _check_indicator(y):
    """Return ``y`` as a dense boolean (n_samples, n_labels) matrix.

    Unknown entries (NaN, or missing values of a DataFrame) are False: only observed
    positives are counted and distributed.
    """
    if y is None:
        raise ValueError(
            "multi-label stratification needs y, a 2-D 0/1 indicator matrix of shape "
            "(n_samples, n_labels)"
        )
    y, unknown = with_unknowns(y)
    if unknown is not None:
        y = np.where(unknown, 0, y)
    if y.ndim != 2:
        raise ValueError(
            f"y must be a 2-D 0/1 indicator matrix of shape (n_samples, n_labels), got "
            f"an array of shape {y.shape}; use StratifiedKFold for a single target, or "
            "pass y.reshape(-1, 1) to stratify one binary label"
        )
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must be a 0/1 label indicator matrix; it has other values")
    return y.astype(bool)


def _best_fold(wanted, wanted_total, priority):
    """The fold wanting most: by ``wanted``, ``wanted_total``, then ``priority``."""
    best = wanted == wanted.max()
    if np.count_nonzero(best) > 1:
        total = np.where(best, wanted_total, -np.inf)
        best = total == total.max()
        if np.count_nonzero(best) > 1:
            return int(np.argmax(np.where(best, priority, -np.inf)))
    return int(np.argmax(best))


def iterative_stratification(Y, n_splits, rng=None, sizes=None):
    """Assign each sample to a fold by iterative stratification.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_labels)
        Boolean label indicator matrix.
    n_splits : int
        Number of folds, each wanting ``n_samples / n_splits`` samples.
    rng : numpy.random.RandomState, default=None
        Shuffles the order in which samples are placed and breaks ties at random.
        With None, samples go in index order and ties go to the lowest fold or label
        index, so the result is fully determined by ``Y``.
    sizes : array-like of shape (n_splits,), default=None
        Relative sizes of the folds (a hold-out split: ``(n - n_val, n_val)``);
        None makes them equal.

    Returns
    -------
    folds : ndarray of shape (n_samples,)
        The fold index of each sample.

    Examples
    --------
    >>> import numpy as np
    >>> from skmultimlp.model_selection import iterative_stratification
    >>> Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [1, 1]], dtype=bool)
    >>> iterative_stratification(Y, n_splits=2)
    array([0, 1, 0, 1, 0, 1])
    """
    n_samples, n_labels = Y.shape
    if rng is None:
        order = np.arange(n_samples)
        priority = np.broadcast_to(
            -np.arange(n_splits, dtype=float), (n_samples, n_splits)
        )
    else:
        order = rng.permutation(n_samples)
        priority = rng.random_sample((n_samples, n_splits))
    shares = np.full(n_splits, 1.0 / n_splits) if sizes is None else np.divide(sizes, np.sum(sizes))
    wanted_total = n_samples * shares
    remaining = Y.sum(axis=0).astype(np.int64)
    wanted = np.outer(remaining, shares)
    # Each sample's labels as slices of one array (not an array object per sample)
    rows, labels = np.nonzero(Y)
    starts = np.searchsorted(rows, np.arange(n_samples + 1))
    folds = np.full(n_samples, -1)
    while remaining.any():
        counts = np.where(remaining > 0, remaining, np.iinfo(np.int64).max)
        rarest = np.flatnonzero(counts == counts.min())
        label = rarest[0] if rng is None else rng.choice(rarest)
        for i in order[Y[order, label] & (folds[order] < 0)]:
            fold = _best_fold(wanted[label], wanted_total, priority[i])
            folds[i] = fold
            its_labels = labels[starts[i]:starts[i + 1]]
            wanted[its_labels, fold] -= 1
            remaining[its_labels] -= 1
            wanted_total[fold] -= 1
    for i in order[folds[order] < 0]:  # samples without any label
        fold = _best_fold(wanted_total, wanted_total, priority[i])
        folds[i] = fold
        wanted_total[fold] -= 1
    return folds


class MultilabelStratifiedKFold(_BaseKFold):
    """K-fold cross-validator that stratifies every label of a multi-label target.

    Folds are made by iterative stratification (Sechidis et al., 2011), so that each
    test fold holds about ``n_samples / n_splits`` samples and about the same share of
    positives of every label as the whole set. It works where
    :class:`~sklearn.model_selection.StratifiedKFold` cannot: ``y`` is a 2-D label
    indicator matrix. It can be passed as ``cv=`` to ``cross_val_score``,
    ``cross_validate`` or ``GridSearchCV``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds. Must be at least 2.
    shuffle : bool, default=False
        Whether to place samples in a random order and break ties at random. When
        False the folds depend on ``y`` only (ties go to the lowest index).
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling when ``shuffle`` is True; must be None otherwise. Pass an
        int for the same folds on every call.

    See Also
    --------
    RepeatedMultilabelStratifiedKFold : Repeats it with different randomisation.
    sklearn.model_selection.StratifiedKFold : Stratifies a single target.

    Notes
    -----
    ``y`` must be a 2-D 0/1 indicator matrix, dense or sparse; a 1-D ``y`` raises a
    ValueError (reshape it to one column to stratify a single binary label). Unknown
    labels (NaN entries, or missing values of a DataFrame) are allowed: only the
    observed positives are stratified, a sample counting as negative where its
    label is unknown. A label
    with fewer positives than ``n_splits`` cannot appear in every test fold; no
    warning is given for it. ``groups`` is ignored.

    References
    ----------
    K. Sechidis, G. Tsoumakas and I. Vlahavas, "On the stratification of multi-label
    data", ECML PKDD 2011, LNCS 6913, pp. 145-158.

    Examples
    --------
    >>> from skmultimlp.datasets import make_tutorial_dataset
    >>> from skmultimlp.model_selection import MultilabelStratifiedKFold
    >>> X, Y = make_tutorial_dataset(n_samples=100, random_state=0)
    >>> cv = MultilabelStratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    >>> cv
    MultilabelStratifiedKFold(n_splits=4, random_state=0, shuffle=True)
    >>> for train, test in cv.split(X, Y):
    ...     print(len(train), len(test), Y[test].sum(axis=0))
    75 25 [12 16 13]
    75 25 [12 16 13]
    75 25 [12 16 13]
    75 25 [12 17 13]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def split(self, X, y, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like or sparse matrix of shape (n_samples, n_labels)
            The 0/1 label indicator matrix to stratify; NaN entries are unknown.
        groups : object
            Always ignored, exists for compatibility.

        Yields
        ------
        train : ndarray
            The training set indices for that split.
        test : ndarray
            The testing set indices for that split.
        """
        if groups is not None:
            warnings.warn(
                f"The groups parameter is ignored by {type(self).__name__}",
                UserWarning,
                stacklevel=2,
            )
        return super().split(X, _check_indicator(y), groups)

    def _iter_test_masks(self, X=None, y=None, groups=None):
        rng = check_random_state(self.random_state) if self.shuffle else None
        folds = iterative_stratification(y, self.n_splits, rng)
        for fold in range(self.n_splits):
            yield folds == fold


class RepeatedMultilabelStratifiedKFold(_RepeatedSplits):
    """Repeated :class:`MultilabelStratifiedKFold`, shuffled differently each time.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds. Must be at least 2.
    n_repeats : int, default=10
        Number of times the k-fold split is repeated.
    random_state : int, RandomState instance or None, default=None
        Controls the randomisation of every repetition. Pass an int for the same
        splits on every call.

    See Also
    --------
    MultilabelStratifiedKFold : A single multi-label stratified k-fold.
    sklearn.model_selection.RepeatedStratifiedKFold : The single-target version.

    Examples
    --------
    >>> from skmultimlp.datasets import make_tutorial_dataset
    >>> from skmultimlp.model_selection import RepeatedMultilabelStratifiedKFold
    >>> X, Y = make_tutorial_dataset(n_samples=100, random_state=0)
    >>> cv = RepeatedMultilabelStratifiedKFold(n_splits=4, n_repeats=3, random_state=0)
    >>> cv.get_n_splits()
    12
    >>> [len(test) for train, test in cv.split(X, Y)]
    [25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25]
    """

    def __init__(self, *, n_splits=5, n_repeats=10, random_state=None):
        super().__init__(
            MultilabelStratifiedKFold,
            n_repeats=n_repeats,
            random_state=random_state,
            n_splits=n_splits,
        )

    def split(self, X, y, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like or sparse matrix of shape (n_samples, n_labels)
            The 0/1 label indicator matrix to stratify; NaN entries are unknown.
        groups : object
            Always ignored, exists for compatibility.

        Yields
        ------
        train : ndarray
            The training set indices for that split.
        test : ndarray
            The testing set indices for that split.
        """
        return super().split(X, _check_indicator(y), groups)
