"""What an input kind is: the operations the fit and predict paths need of ``X``."""

from typing import Callable, NamedTuple


class SparseRows(NamedTuple):
    """Sparse rows as padded per-row column indices and values (a pytree of two arrays)."""

    indices: object  # (n_rows, width) int32; padding slots hold 0
    values: object  # (n_rows, width) float32; padding slots hold 0


class InputKind(NamedTuple):
    """One kind of ``X`` (dense, CSR), as Keras' data adapters: chosen once by ``input_kind``.

    Host side: ``prepare``, ``width``, ``padded`` and ``placeholder``; ``dense_rows``
    gives a chunk of rows as a dense array (a Keras model's ``call``, L-BFGS). Compiled side:
    ``model_input(n_features)`` turns the stored rows into a custom model's input
    (None: as stored).
    """

    name: str
    prepare: Callable  # X -> X as the fit keeps it (not copied where it can be)
    width: Callable  # X -> the padded row width of the device layout, or None
    padded: Callable  # (X, n_rows, width) -> host arrays padded to n_rows
    placeholder: Callable  # (n_features, width) -> one zero row (no validation data)
    dense_rows: Callable  # rows of X -> a dense array (CSR densified, dense as is)
    model_input: Callable  # n_features -> Optional[Callable]: device rows -> a custom model's input
    sparse: bool  # a chunk of rows is multiplied as it is, never densified (NumPy forward)
