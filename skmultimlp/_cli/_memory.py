"""Skipping, before the run, an estimator whose fit would not fit in memory.

A random forest on a large label space (16k rows, 983 labels) needs about
19 GiB for its trees; fitted anyway it gets the process killed, and the other
estimators' results with it. :func:`too_big` compares
:func:`~skmultimlp.benchmark._baselines.estimated_fit_bytes` with the memory available
to each parallel job and names the estimators to skip, with the reason.
"""

import os

from ..benchmark._baselines import estimated_fit_bytes

GIB = 2**30


def available_bytes():
    """Memory available for new allocations (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def concurrent_jobs(n_jobs, n_folds):
    """How many fits run at the same time with ``--n-jobs`` over ``n_folds`` folds."""
    cpus = os.cpu_count() or 1
    jobs = n_jobs if n_jobs > 0 else max(cpus + 1 + n_jobs, 1)
    return max(min(jobs, n_folds), 1)


def too_big(estimators, n_train, n_features, n_labels, n_jobs, n_folds):
    """The estimators whose fit would need more memory than a job has.

    Parameters
    ----------
    estimators : dict of str to estimator
    n_train, n_features, n_labels : int
        The largest training fold's shape.
    n_jobs : int
        ``--n-jobs``.
    n_folds : int
        Number of folds (fits of each estimator).

    Returns
    -------
    skipped : dict of str to str
        Name -> one-line reason, for each estimator to leave out.
    """
    available = available_bytes()
    if available is None:
        return {}
    jobs = concurrent_jobs(n_jobs, n_folds)
    budget = available / jobs
    skipped = {}
    for name, estimator in estimators.items():
        need = estimated_fit_bytes(estimator, n_train, n_features, n_labels)
        if need is not None and need > budget:
            per_job = f" per job ({jobs} in parallel)" if jobs > 1 else ""
            skipped[name] = (
                f"skipped {name}: its fitted model would take up to {_size(need)} "
                f"({n_train} rows x {n_labels} labels), more than the "
                f"{_size(budget)} available{per_job}"
            )
    return skipped


def _size(n_bytes):
    """``'1.5 GiB'`` or ``'12 MiB'``."""
    if n_bytes >= GIB:
        return f"{n_bytes / GIB:.1f} GiB"
    return f"{n_bytes / 2**20:.0f} MiB"
