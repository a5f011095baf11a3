"""Writing ``--output`` and ``--plot`` after a run without losing the results.

The paths were checked before the run (:mod:`skmultimlp._cli._options`), but a
disk can fill up or a folder go away during a long run. A file that cannot be
written where asked goes to the working directory instead (or, failing that,
the temporary folder) under a name that is not taken yet, and one
``skmultimlp: error:`` line says where; if neither works, the table is on
standard output all the same. Every file written is named on standard error
(``skmultimlp: wrote PATH``), as standard output may be redirected.

During the run, :func:`save_partial` rewrites ``--output`` after each
estimator, so that a killed run keeps what finished.
"""

import os
import sys
import tempfile
from pathlib import Path

from ..benchmark._compare import error_line
from ._plot import plot_summary
from ._report import format_header, format_table, write_results


def save_outputs(options, summary, folds, info, table_shown):
    """Write ``--output`` and ``--plot``; return 0, or 1 if either went elsewhere.

    Parameters
    ----------
    options : BenchmarkOptions
        The run's options (``output`` and ``plot``, each a path or None).
    summary, folds : pandas.DataFrame
        As returned by :func:`skmultimlp.benchmark.compare`.
    info : dict
        As returned by :func:`skmultimlp._cli._report.run_metadata`.
    table_shown : bool
        Whether the table is already on standard output; if not, it is
        printed when a file could not be written where asked.
    """
    status = 0
    info = {**info, "finished": info.get("finished", list(summary.index)), "complete": True}
    if options.output is not None:
        def write(path):
            write_results(path, summary, folds, info)

        status |= _save(options.output, write, "results")
    if options.plot is not None:
        def plot(path):
            plot_summary(summary, path, format_header(info))

        status |= _save(options.plot, plot, "plot")
    if status and not table_shown:
        print(format_table(summary))
    return status


def _save(path, write, what):
    """``write(path)``, or ``write`` to a fallback path; 0 if ``path`` was written."""
    try:
        write(path)
        _wrote(path)
        return 0
    except Exception as exc:  # noqa: BLE001 -- any failure here must not lose the run
        problem = f"cannot write {path}: {_reason(exc)}"
    for folder in (Path.cwd(), Path(tempfile.gettempdir())):
        fallback = _free_name(folder, path.name)
        try:
            write(fallback)
        except Exception:  # noqa: BLE001
            continue
        _error(f"{problem}; saved the {what} to {fallback} instead")
        _wrote(fallback)
        return 1
    _error(f"{problem}; could not save the {what} elsewhere either")
    return 1


def save_partial(path, summary, folds, info):
    """Write the results so far to ``path``, marked ``"complete": false``; quiet on failure.

    The file is written beside ``path`` and renamed over it, so that a kill
    during the write leaves the previous version whole. A failure is silent
    here: the final :func:`save_outputs` reports it and falls back.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        write_results(partial, summary, folds, {**info, "complete": False}, path.suffix)
        os.replace(partial, path)
    except Exception:  # noqa: BLE001 -- the run goes on; save_outputs will say
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass


def _wrote(path):
    print(f"skmultimlp: wrote {path}", file=sys.stderr, flush=True)


def _free_name(folder, name):
    """``folder / name``, or ``folder / 'stem-N.suffix'`` if that is taken."""
    path = folder / name
    number = 1
    while path.exists():
        path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return path


def _reason(exc):
    """An OSError's own words (``Permission denied``), else the error's first line."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return error_line(exc)


def _error(message):
    print(f"skmultimlp: error: {message}", file=sys.stderr)
