"""Unknown labels: NaN in a multi-label target, ``UNKNOWN`` in its uint8 encoding.

In a multi-label target, NaN entries (float arrays, pandas NaN, ``pd.NA`` of
nullable columns) mean "not annotated". They are stored as ``UNKNOWN`` in a uint8
``Y`` and left out of the loss, the class weights and the validation score. No
integer sentinel such as -1 is read as unknown: -1/+1 label encodings exist, and
reading their -1 as "unknown" would silently drop every negative.
"""

import numpy as np
import scipy.sparse as sp

UNKNOWN = 255  # an unknown entry of a uint8 multi-label ``Y`` (observed entries are 0 or 1)


def unknown_entries(Y):
    """Boolean mask of the NaN entries of a numeric (n, n_labels) array, or None if none.

    Only floats can hold NaN; pandas' nullable columns become floats with NaN first.
    """
    Y = np.asarray(Y)
    if Y.dtype.kind != "f":
        return None
    unknown = np.isnan(Y)
    return unknown if unknown.any() else None


def with_unknowns(y):
    """A 2-D target as an array with NaN for its unknown entries, and their mask (or None).

    For the splitters, the threshold tuner and the metrics: a DataFrame's missing
    values (NaN, ``pd.NA``) become NaN, a sparse matrix is densified (it has no
    unknowns), anything else goes through ``np.asarray``.
    """
    if hasattr(y, "columns") and hasattr(y, "to_numpy"):  # pandas DataFrame
        y = y.to_numpy(dtype=np.float64, na_value=np.nan) if y.isna().to_numpy().any() else y.to_numpy()
    y = y.toarray() if sp.issparse(y) else np.asarray(y)
    return y, unknown_entries(y) if y.ndim == 2 else None
