"""Stopping ``skmultimlp benchmark`` on Ctrl-C or SIGTERM, leaving no workers behind.

Ctrl-C raises :class:`KeyboardInterrupt`; within :func:`terminate_as_interrupt`
SIGTERM raises :class:`Terminated`, a subclass, so that both unwind the same
way: joblib's ``Parallel`` aborts and kills its loky workers, and the command
prints one line. Without it SIGTERM ends the process at once and the workers
live on. The library itself never installs signal handlers.
"""

import contextlib
import signal
import sys
import threading


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt."""


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block SIGTERM raises :class:`Terminated`; the old handler comes back after.

    Only the main thread may set signal handlers; elsewhere (``main`` called
    from a thread) the block runs with SIGTERM as it was.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_terminated(signum, frame):
    raise Terminated


def stop_workers():
    """Kill joblib's reusable loky workers now, if this process started any.

    ``Parallel`` already kills them when the interrupt passes through it; this
    covers an interrupt between two ``Parallel`` calls, when the idle workers
    wait for the next one. Looks the executor up without creating one.
    """
    module = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(module, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=False, kill_workers=True)
