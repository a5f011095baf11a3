"""Why a lazy step costs more on a wider kernel: the same gathers, on arrays of other sizes.

Run from the repository root (JAX, which this script uses directly)::

    python benchmarks/lazy_gathers.py                 # 5,000 and 50,000 columns
    python benchmarks/lazy_gathers.py --columns 5000 20000 50000 200000

Times, per step of a compiled 500-step loop, the memory work of a lazy first-layer
update (``skmultimlp._training._lazy``) for batches of 32 rows of 50 random columns,
with 50 hidden units: finding the batch's distinct columns (``touched_columns``), and
gathering their rows from three ``(columns, 50)`` float32 arrays (the kernel and Adam's
two moments) then writing them back (``write_rows``); "fused table" does the same on one
``(columns, 150)`` array holding the three side by side (a layout the package does not
use: what it would save). The number of rows touched is the same for every width; only
the size of the arrays they are scattered over changes. A measurement script, never a
test.
"""

import argparse
import os
import time

import numpy as np

STEPS, BATCH, WIDTH, UNITS = 500, 32, 50, 50


def per_step_microseconds(n_columns, what):
    import jax
    import jax.numpy as jnp

    from skmultimlp._training._lazy import Touched, touched_columns, write_rows

    rng = np.random.default_rng(0)
    batches = jnp.asarray(rng.integers(0, n_columns, (200, BATCH, WIDTH)), jnp.int32)
    values, weights = jnp.ones((BATCH, WIDTH)), jnp.ones(BATCH)

    def body(i, carry):
        arrays, total = carry
        columns, valid, local = touched_columns(batches[i % 200], values, weights, n_columns)
        if what == "distinct columns":
            return arrays, total + local.sum() + columns.sum()
        touched = Touched(columns, valid, local, None)
        if what == "fused table":  # one (columns, 3 * units) array: weights and moments side by side
            return (write_rows(arrays[0], touched, jnp.take(arrays[0], columns, axis=0) + 1.0),), total
        rows = [jnp.take(a, columns, axis=0) + 1.0 for a in arrays]
        return tuple(write_rows(a, touched, r) for a, r in zip(arrays, rows)), total

    loop = jax.jit(lambda carry: jax.lax.fori_loop(0, STEPS, body, carry))
    shapes = [(n_columns, 3 * UNITS)] if what == "fused table" else [(n_columns, UNITS)] * 3
    carry = (tuple(jnp.zeros(shape) for shape in shapes), jnp.int32(0))
    jax.block_until_ready(loop(carry))  # compiles
    start = time.perf_counter()
    jax.block_until_ready(loop(carry))
    return (time.perf_counter() - start) / STEPS * 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, nargs="+", default=[5_000, 50_000])
    args = parser.parse_args(argv)
    os.environ.setdefault("KERAS_BACKEND", "jax")  # before the package imports Keras
    parts = ("distinct columns", "3 gathers + 3 scatters", "fused table")
    print("| columns | " + " | ".join(f"{p}, us a step" for p in parts) + " |")
    print("|---|" + "---|" * len(parts))
    for n_columns in args.columns:
        times = [per_step_microseconds(n_columns, p) for p in parts]
        print(f"| {n_columns:,} | " + " | ".join(f"{t:.0f}" for t in times) + " |", flush=True)


if __name__ == "__main__":
    main()
