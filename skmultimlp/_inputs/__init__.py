"""Input kinds: what each kind of ``X`` provides, picked once per fit by ``input_kind``.

Dense arrays and CSR matrices today (any other sparse format is converted to CSR
once). A new kind is one module here defining an ``InputKind`` and one line in
``input_kind``. Inside the compiled loop, stored rows are either an array or a
``SparseRows``; ``take_rows``, ``slice_rows`` and ``n_rows`` handle both.
"""

import scipy.sparse as sp

from ._csr import CSR, row_width, uses_lazy_update
from ._dense import DENSE
from ._types import InputKind, SparseRows

__all__ = ["CSR", "DENSE", "InputKind", "SparseRows", "input_kind", "n_rows", "row_width",
           "slice_rows", "take_rows", "uses_lazy_update"]


def input_kind(X):
    """The ``InputKind`` of ``X`` (validated: an array or a sparse matrix)."""
    return CSR if sp.issparse(X) else DENSE


def take_rows(x, rows):
    """The stored rows ``rows`` (an index tensor) of dense features or ``SparseRows``."""
    from keras import ops

    if isinstance(x, SparseRows):
        return SparseRows(*(ops.take(a, rows, axis=0) for a in x))
    return ops.take(x, rows, axis=0)


def slice_rows(x, start, size):
    """``size`` consecutive stored rows from ``start`` (a tensor), dense or ``SparseRows``."""
    from keras import ops

    def rows_of(a):
        return ops.slice(a, (start,) + (0,) * (a.ndim - 1), (size,) + tuple(a.shape[1:]))

    return SparseRows(*map(rows_of, x)) if isinstance(x, SparseRows) else rows_of(x)


def n_rows(x):
    """The number of stored rows of dense features or ``SparseRows``."""
    return x.indices.shape[0] if isinstance(x, SparseRows) else x.shape[0]
