"""Peak memory and time of the ARFF loader on the shared multi-label datasets.

Run from the repository root::

    python benchmarks/load_memory.py [--repeat 3] [--loader MODULE:FUNCTION ...] [--data DIR]

It reads the datasets from ``--data``, ``SKMULTIMLP_DATA`` or ``../shared/datasets`` and
measures ``skmultimlp.datasets.load_arff`` as imported (the installed package, or the
checkout with ``PYTHONPATH=.``; the first line printed says which file), or each
``--loader`` given (called as ``loader(path)``; a module outside the repository can
be put on ``PYTHONPATH``, e.g. one that imports an older version of the loader). For
each file it prints the size of the result (``X`` and ``Y`` ``nbytes``; for a sparse
``X`` its data, indices and indptr), the ``tracemalloc`` peak while loading divided
by that size, and the best wall time of ``--repeat`` loads without ``tracemalloc``
(which slows Python code down). With several loaders the measures of one file are
taken one after the other, so that their time ratios share the machine's load.

A last table loads yeast repeated 1, 2 and 4 times (a temporary file) to show that
time and peak memory grow linearly with the file.
"""

import argparse
import gc
import importlib
import tempfile
import time
import tracemalloc
from pathlib import Path

from _common import add_data_option

FILES = [
    "emotions/emotions.arff",
    "yeast/yeast.arff",
    "scene/scene-train.arff",
    "scene/scene-test.arff",
    "medical/medical.arff",
    "bibtex/bibtex.arff",
]


def _result_nbytes(dataset):
    X, Y = dataset[0], dataset[1]
    if hasattr(X, "indptr"):
        size = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    else:
        size = X.nbytes
    return size + Y.nbytes


def measure(loader, path, repeat):
    """(result bytes, tracemalloc peak bytes, best seconds) of ``loader(path)``."""
    gc.collect()
    tracemalloc.start()
    dataset = loader(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = _result_nbytes(dataset)
    del dataset
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        loader(path)
        times.append(time.perf_counter() - start)
    return size, peak, min(times)


def _repeated_copy(source, times, folder):
    """``source`` with its data rows written ``times`` times (same header)."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.lower().startswith("@data"))
    target = Path(folder) / f"{source.stem}-x{times}.arff"
    with target.open("w", encoding="utf-8") as handle:
        handle.writelines(lines[: start + 1])
        for _ in range(times):
            handle.writelines(lines[start + 1 :])
    # The companion XML names the labels; copy it beside the new file.
    xml = source.with_suffix(".xml")
    (Path(folder) / f"{target.stem}.xml").write_bytes(xml.read_bytes())
    return target


def _load_function(spec):
    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def _table(loaders, paths, repeat):
    """One row per file: its size, then peak / result and seconds of each loader."""
    names = [spec.partition(":")[0] for spec in loaders]
    print("| file | MB | result MB | " + " | ".join(
        f"{name}: peak / result | {name}: s" for name in names
    ) + " |")
    print("|---|---:|---:|" + "---:|---:|" * len(names))
    for label, path in paths:
        megabytes = path.stat().st_size / 1e6
        cells = []
        for loader in loaders.values():
            size, peak, seconds = measure(loader, path, repeat)
            cells += [f"{peak / size:.2f}", f"{seconds:.3f}"]
        print(f"| {label} | {megabytes:.2f} | {size / 1e6:.2f} | " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loader", action="append", metavar="MODULE:FUNCTION")
    add_data_option(parser)
    args = parser.parse_args(argv)
    specs = args.loader or ["skmultimlp.datasets:load_arff"]
    loaders = {spec: _load_function(spec) for spec in specs}
    for spec, loader in loaders.items():
        print(f"{spec}: {loader.__code__.co_filename}")
    print()
    _table(loaders, [(name, args.data / name) for name in FILES], args.repeat)
    print()
    print("Linearity: yeast's data rows repeated 1, 2 and 4 times")
    print()
    with tempfile.TemporaryDirectory() as folder:
        source = args.data / "yeast" / "yeast.arff"
        paths = [
            (f"yeast x{times}", _repeated_copy(source, times, folder))
            for times in (1, 2, 4)
        ]
        _table(loaders, paths, args.repeat)


if __name__ == "__main__":
    main()
