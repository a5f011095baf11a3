"""Multi-label datasets: a synthetic tutorial set and loaders for ARFF, CSV and LIBSVM.

The ARFF reader understands the two multi-label conventions in use:

- **Mulan**: the labels are the *last* ``n_labels`` attributes, named in a companion
  ``NAME.xml`` file;
- **MEKA**: the relation name carries ``-C N``; the *first* ``N`` attributes are the
  labels (the *last* ``-N`` when ``N`` is negative).

Every loader returns a :class:`MultilabelDataset` named tuple. Each file format has
its own private module (``_arff``, ``_mulan_meka``, ``_csv``, ``_libsvm``); the
suffix table of :func:`load_dataset` is in ``_dispatch``.
"""

from ._base import MultilabelDataset
from ._csv import load_csv
from ._dispatch import load_dataset
from ._libsvm import load_libsvm_multilabel
from ._mulan_meka import load_arff
from ._synthetic import make_tutorial_dataset

__all__ = [
    "MultilabelDataset",
    "load_arff",
    "load_csv",
    "load_dataset",
    "load_libsvm_multilabel",
    "make_tutorial_dataset",
]
