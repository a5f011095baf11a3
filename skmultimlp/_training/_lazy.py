"""Lazy (row-sparse) update of the first layer on sparse rows, as LazyAdam and SparseAdam.

With sparse features (``_inputs._csr``: padded per-row ``SparseRows``) a mini-batch
reads at most ``batch_size * width`` rows of the first-layer kernel, but a dense
optimizer step writes all ``n_columns`` of them, and their moments: on wide inputs
that write is most of a step. Here a step instead

1. finds the distinct columns of the batch (``touched_columns``), each given one
   slot, so a column repeated in the batch gets one summed gradient;
2. gathers those kernel rows into a ``(batch_size * width, units)`` block, which
   the twin model with that many "columns" (``_network._mlp.build_mlp_on_rows``) reads
   through each entry's slot: its gradient is the block's, never a dense
   ``n_columns`` one;
3. updates the block and its optimizer state (Adam's moments, SGD's velocities)
   with the optimizer's own formula and the global step count (Adam's bias
   correction as in TF-Addons' LazyAdam), and writes the rows back. Bias and the
   other layers take the ordinary dense update.

The arithmetic of a step is then ``O(batch_size * width * units)`` (plus clearing one
int32 a column in ``touched_columns``), whatever the width of X; the rows it reads and
writes are scattered over the kernel, so once the kernel outgrows the CPU's caches
they cost a cache miss each (measured in docs/performance.md). Shapes are static
(XLA): the block always has ``batch_size * width`` slots; unused slots (beyond the
distinct columns) hold zeros and are never written back.

What it changes: a column absent from a batch keeps its weights and moments exactly
(a dense Adam keeps moving it by its momentum and decaying its moments), and the L2
penalty ``alpha`` is applied only to the rows of the batch, as part of their
gradient, so a column is shrunk once per batch it appears in instead of at every
step. ``loss_curve_`` then holds the penalty of the batch's rows, not the whole kernel's.
Entries that do not count are left out of "the batch's columns": ELL padding and
stored zeros (value 0) and rows of weight 0 (the padding of the last batch).
"""

from typing import NamedTuple


class Touched(NamedTuple):
    """The distinct columns of a mini-batch, in ``slots = batch_size * width`` slots."""

    columns: object  # (slots,) int32: the distinct columns, then 0 in unused slots
    valid: object  # (slots,) bool: the slot holds a column of the batch (a prefix of the slots)
    local: object  # (batch_size, width) int32: the slot of each entry
    rows: object  # (slots, units): the first kernel's rows of ``columns``, zero where not valid


def touched_columns(indices, values, weights, n_columns):
    """The distinct columns of the non-zero entries of rows of non-zero weight.

    ``indices``, ``values``: the batch's padded rows, ``(batch_size, width)``;
    ``weights``: its sample weights. Entries that do not count (their value or weight
    is 0: they add nothing) point at the last slot, which is then unused. Returns
    ``(columns, valid, local)`` as in ``Touched``.

    No sort (XLA's sort of a few thousand keys on a CPU costs more than the whole
    update): each entry writes its position into a per-column scratch vector, and
    the entry whose position a column kept represents that column; representatives
    take the slots in order. A scatter with duplicate indices keeps one of their
    values, unspecified which, but every entry of a column reads back the same one.
    The scratch vector, one int32 per column, is the only part of a step that
    grows with the number of columns (its fill is ``4 * n_columns`` bytes, a
    ``1 / (3 * units)`` of what the dense update writes).
    """
    from keras import ops

    shape = tuple(indices.shape)
    n_slots = shape[0] * shape[1]
    counts = ops.reshape(ops.logical_and(values != 0, ops.expand_dims(weights, -1) > 0), (-1,))
    keys = ops.where(counts, ops.reshape(ops.cast(indices, "int32"), (-1,)), n_columns)
    position = ops.arange(n_slots, dtype="int32")
    kept = ops.scatter_update(ops.zeros((n_columns + 1,), "int32"), ops.expand_dims(keys, -1), position)
    representative = ops.take(kept, keys)
    first = ops.logical_and(counts, representative == position)
    slot_of_entry = ops.cumsum(ops.cast(first, "int32")) - 1
    # Entries that do not count go to the last slot: free whenever such an entry exists.
    local = ops.where(counts, ops.take(slot_of_entry, representative), n_slots - 1)
    # Only representatives write a column; the others write to a slot past the end.
    target = ops.where(first, slot_of_entry, n_slots)
    columns = ops.scatter_update(ops.full((n_slots + 1,), n_columns, "int32"),
                                 ops.expand_dims(target, -1), keys)[:n_slots]
    valid = columns < n_columns
    return ops.where(valid, columns, 0), valid, ops.reshape(local, shape)


def gather_first_layer(params, x, weights):
    """The parameters and inputs of the twin model on the batch's kernel rows.

    Returns ``(params, x, touched)``: the first kernel replaced by its rows of the
    batch's columns (zero in unused slots: no penalty, no output), the indices by
    each entry's slot.
    """
    from keras import ops

    indices, values = x
    kernel = params[0]
    columns, valid, local = touched_columns(indices, values, weights, kernel.shape[0])
    rows = ops.where(ops.expand_dims(valid, -1), ops.take(kernel, columns, axis=0), 0.0)
    return [rows, *params[1:]], (local, values), Touched(columns, valid, local, rows)


def lazy_update(optimizer, params, grads, state, t, hyper, touched):
    """``optimizer.update`` with the first kernel updated on the rows of ``touched`` only.

    ``grads[0]`` is the gradient of the gathered rows (``gather_first_layer``). Each
    field of the optimizer's ``state`` holds one tensor per parameter: the first
    kernel's is entry 0 of every field.
    """
    from keras import ops

    named = type(state)
    params_rest, state_rest = optimizer.update(params[1:], grads[1:], named(*(f[1:] for f in state)),
                                               t, hyper)
    row_state = named(*([ops.take(f[0], touched.columns, axis=0)] for f in state))
    new_rows, new_row_state = optimizer.update([touched.rows], grads[:1], row_state, t, hyper)
    kernel = write_rows(params[0], touched, new_rows[0])
    new_state = named(*([write_rows(f[0], touched, rows[0]), *rest]
                        for f, rows, rest in zip(state, new_row_state, state_rest)))
    return [kernel, *params_rest], new_state


def write_rows(array, touched, rows):
    """``array`` with ``rows`` written at the valid slots' columns, the other rows as they were.

    A scatter of ``set`` has no defined winner between duplicate indices (TensorFlow,
    XLA), so unused slots are not pointed at a real row with another value: they
    write the same column and value as slot 0 (its new row, or when the batch has no
    column at all, the unchanged row 0).
    """
    from keras import ops

    valid = touched.valid
    first = ops.where(valid[0], rows[0], ops.take(array, touched.columns[0], axis=0))
    values = ops.where(ops.expand_dims(valid, -1), rows, ops.expand_dims(first, 0))
    columns = ops.where(valid, touched.columns, touched.columns[0])
    return ops.scatter_update(array, ops.expand_dims(columns, -1), values)
