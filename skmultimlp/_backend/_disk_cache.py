"""The persistent compilation cache: compile once per machine, not once per process.

Every new process (a script, a joblib worker of a grid search, a Dask or Ray
worker) otherwise pays XLA's compilation of the training loop again. The compiled
executables are kept on disk, in ``$SKMULTIMLP_CACHE_DIR`` or by default in the
user's cache folder (``$XDG_CACHE_HOME/skmultimlp``, ``~/.cache/skmultimlp``,
``~/Library/Caches/skmultimlp`` on macOS, ``%LOCALAPPDATA%\\skmultimlp\\Cache``
on Windows); ``SKMULTIMLP_CACHE_DIR=off`` (or ``0``, ``false``, ``no``) turns it off.

The folder has one subfolder per backend, its version and the CPU's instruction
set, so a home folder shared by machines of different CPUs (a cluster) never loads
code built for another processor. What each backend does with it:

- JAX: ``jax_compilation_cache_dir`` (a process-wide JAX setting), set only when the
  user has configured no cache of their own; a folder that cannot be written is not
  used (JAX would warn on every compile).
- TensorFlow: XLA's ``--tf_xla_persistent_cache_directory`` in ``TF_XLA_FLAGS``, which
  TensorFlow reads once, when it creates its first device; so it is passed while
  ``_backend.import_keras`` runs the first operation and the variable is put back
  afterwards. A folder that cannot be written is used read-only; a user's own
  ``--tf_xla_persistent_cache_directory`` wins, and nothing is set when TensorFlow
  ran an operation before Keras was imported through this package.

A stale entry (another library version, another graph) has another key and is
never loaded; TensorFlow also compares the stored HLO with the new one.
"""

import hashlib
import os
import platform
import re
import sys
from pathlib import Path

ENV_VARIABLE = "SKMULTIMLP_CACHE_DIR"
DISABLED = {"0", "off", "false", "no", "none"}
MAX_BYTES = 512 * 2**20  # per backend folder; the least recently written entries go first

_jax_configured = False


def cache_root():
    """The base folder of the cache, or ``None`` when ``SKMULTIMLP_CACHE_DIR`` turns it off."""
    value = os.environ.get(ENV_VARIABLE, "").strip()
    if value.lower() in DISABLED:
        return None
    if value:
        return Path(value).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "skmultimlp" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "skmultimlp"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skmultimlp"


def backend_cache_dir(backend, version):
    """``(folder, writable)`` for this backend on this machine, or ``None`` (off or unusable)."""
    root = cache_root()
    if root is None:
        return None
    folder = root / f"{backend}-{version}-{_machine_tag()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only file system, a file in the way, no permission
        return None if not folder.is_dir() else (folder, False)
    return folder, os.access(folder, os.W_OK)


def prune(folder, max_bytes=MAX_BYTES):
    """Delete the oldest entries of ``folder`` until it holds at most ``max_bytes``.

    TensorFlow's cache never deletes anything, and its keys depend on how many
    functions the process traced before (see docs/performance.md): without a bound,
    interactive sessions would add entries forever. Errors (a file another process
    removed, no permission) are ignored.
    """
    try:
        files = sorted((p.stat().st_mtime, p.stat().st_size, p) for p in Path(folder).iterdir()
                       if p.is_file())
        total = sum(size for _, size, _ in files)
        for _, size, path in files:
            if total <= max_bytes:
                break
            path.unlink()
            total -= size
    except OSError:
        pass


def clear_tensorflow_cache(flags):
    """Delete the entries of the TensorFlow cache folder named in ``flags``; False if none.

    Called when a compiled call failed with the cache on: TensorFlow fails the call
    (instead of recompiling) on a damaged entry or a failed write.
    """
    match = re.search(r"--tf_xla_persistent_cache_directory=(\S+)", flags or "")
    if match is None or not Path(match.group(1)).is_dir():
        return False
    for path in Path(match.group(1)).iterdir():
        try:
            path.unlink()
        except OSError:
            pass
    return True


def _machine_tag():
    """A short hash of the processor's architecture and instruction-set extensions."""
    description = platform.machine() + platform.processor()
    try:
        with open("/proc/cpuinfo") as cpuinfo:  # Linux: the "flags" line lists AVX-512 etc.
            description += next((line for line in cpuinfo if line.startswith("flags")), "")
    except OSError:
        pass
    return hashlib.sha256(description.encode()).hexdigest()[:12]


def tensorflow_flags(current):
    """``TF_XLA_FLAGS`` with the cache folder added, or ``None`` to leave it unchanged.

    ``current`` is the user's value (or ``None``); their own cache folder wins.
    """
    if current and "tf_xla_persistent_cache_directory" in current:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = backend_cache_dir("tensorflow", version("tensorflow"))
    except PackageNotFoundError:  # tensorflow-cpu and other distributions
        found = backend_cache_dir("tensorflow", "unknown")
    if found is None:
        return None
    folder, writable = found
    flags = f"--tf_xla_persistent_cache_directory={folder}"
    if writable:
        prune(folder)
    else:
        flags += " --tf_xla_persistent_cache_read_only=true"
    return f"{current} {flags}" if current else flags


def configure_jax():
    """Point JAX's compilation cache at our folder, unless the user configured one."""
    global _jax_configured
    if _jax_configured:
        return
    _jax_configured = True
    import jax

    if jax.config.jax_compilation_cache_dir is not None:
        return
    found = backend_cache_dir("jax", jax.__version__)
    if found is None or not found[1]:
        return
    # (JAX's own bound, jax_compilation_cache_max_size, needs the filelock package.)
    prune(found[0])
    jax.config.update("jax_compilation_cache_dir", str(found[0]))
    # JAX's default keeps only compilations of 1 s or more; ours take 1-5 s
    # on a loaded machine, so the limit would make the cache a lottery.
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
