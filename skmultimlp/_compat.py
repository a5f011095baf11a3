"""The one place for private or version-dependent scikit-learn imports.

Everything else in skmultimlp imports these names from here, so that a change in
scikit-learn's private API is fixed in a single file.
"""

# --- model_selection: base classes of scikit-learn's k-fold splitters ----------
# Private in every scikit-learn release so far (checked with 1.6 to 1.9). Used by
# skmultimlp.model_selection to inherit KFold's validation and split bookkeeping.
from sklearn.model_selection._split import _BaseKFold, _RepeatedSplits  # noqa: F401
