"""Running the estimators of ``skmultimlp benchmark`` one after the other.

Each estimator is cross-validated by its own :func:`~skmultimlp.benchmark.compare`
call, and the results so far are handed to a callback when it finishes (the
command writes them to ``--output`` at once): an estimator that fails outright,
or whose worker process is killed (out of memory, say), gets n/a and one line,
and neither it nor a later kill of the whole command takes the finished
estimators' results down with it.
"""

import sys

import numpy as np

from ..benchmark import FOLD_TIMES, METRICS, compare, summarize
from ..benchmark._compare import error_line


def cross_validate(estimators, X, Y, splits, n_jobs, progress, skipped, on_result):
    """Cross-validate ``estimators`` on ``splits``; return the summary and folds tables.

    Parameters
    ----------
    estimators : dict of str to estimator
    X, Y : arrays
    splits : list of (train, test) index arrays
    n_jobs : int
    progress : bool
        A progress bar per estimator.
    skipped : dict of str to str
        Estimators not to fit (their rows are n/a); the values are the reasons,
        already reported.
    on_result : callable
        Called as ``on_result(summary, folds, finished)`` after each estimator,
        ``finished`` being the names done so far (run, failed or skipped).

    Returns
    -------
    summary, folds : pandas.DataFrame
        As :func:`~skmultimlp.benchmark.compare` with ``return_folds=True``,
        every estimator in the given order.
    """
    import pandas as pd

    parts, finished = [], []
    for name, estimator in estimators.items():
        if name in skipped:
            folds = _failed_folds(name, len(splits))
        else:
            folds = _run_one(name, estimator, X, Y, splits, n_jobs, progress)
        parts.append(folds)
        finished.append(name)
        all_folds = pd.concat(parts, ignore_index=True)
        summary = summarize(all_folds, finished, _metrics(all_folds))
        on_result(summary, all_folds, list(finished))
    return summary, all_folds


def _run_one(name, estimator, X, Y, splits, n_jobs, progress):
    """The folds table of one estimator; all NaN, and one line, if the run itself breaks.

    Errors raised by a fit are already NaN folds (``error_score=np.nan``); what
    arrives here is the run breaking: a worker killed by the system, a
    ``MemoryError`` in this process.
    """
    try:
        _, folds = compare(
            {name: estimator},
            X,
            Y,
            cv=splits,
            n_jobs=n_jobs,
            progress=progress,
            return_folds=True,
            error_score=np.nan,
        )
        return folds
    except Exception as exc:  # noqa: BLE001 -- one estimator must not end the run
        print(f"skmultimlp: warning: {name} stopped: {error_line(exc)}; its results are n/a",
              file=sys.stderr, flush=True)
        return _failed_folds(name, len(splits))


def _failed_folds(name, n_folds):
    """A folds table of NaN for an estimator that was skipped or stopped."""
    import pandas as pd

    rows = [
        {"estimator": name, "fold": fold, **dict.fromkeys((*METRICS, *FOLD_TIMES), np.nan)}
        for fold in range(n_folds)
    ]
    return pd.DataFrame(rows, columns=["estimator", "fold", *METRICS, *FOLD_TIMES])


def _metrics(folds):
    return [metric for metric in METRICS if metric in folds]
