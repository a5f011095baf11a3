"""Multi-label datasets: a synthetic tutorial set and loaders for ARFF, CSV and LIBSVM.

The ARFF reader understands the two multi-label conventions in use:

- **Mulan**: the labels are the *last* ``n_labels`` attributes, named in a companion
  ``NAME.xml`` file;
- **MEKA**: the relation name carries ``-C N``; the *first* ``N`` attributes are the
  labels (the *last* ``-N`` when ``N`` is negative).

Every loader returns a :class:`MultilabelDataset` named tuple.
"""

import functools
import numbers
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.datasets import load_svmlight_file, make_multilabel_classification
from sklearn.preprocessing import MultiLabelBinarizer

__all__ = [
    "MultilabelDataset",
    "load_arff",
    "load_csv",
    "load_dataset",
    "load_libsvm_multilabel",
    "make_tutorial_dataset",
]


class MultilabelDataset(NamedTuple):
    """A multi-label dataset, as returned by the loaders of this module.

    A named tuple: unpack it as ``X, Y, label_names, feature_names = dataset`` or read
    its fields by name.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features) or scipy.sparse.csr_matrix
        The features as float64: a dense array, or a CSR matrix when the file stores
        its rows sparsely (sparse ARFF, LIBSVM).
    Y : ndarray of shape (n_samples, n_labels)
        The label indicator matrix, integers 0 and 1.
    label_names : list of str
        The name of each column of ``Y``, in file order.
    feature_names : list of str
        The name of each column of ``X``, in file order.
    """

    X: "np.ndarray | sparse.csr_matrix"
    Y: np.ndarray
    label_names: list
    feature_names: list


def make_tutorial_dataset(
    n_samples=1000, n_features=10, n_classes=3, n_labels=2, random_state=1
):
    """Make the small synthetic multi-label problem used in the tutorials.

    This is :func:`sklearn.datasets.make_multilabel_classification` with the
    tutorials' defaults: 1000 samples, 10 features, 3 labels.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of samples.
    n_features : int, default=10
        Number of features.
    n_classes : int, default=3
        Number of labels.
    n_labels : int, default=2
        Average number of labels per sample.
    random_state : int, RandomState instance or None, default=1
        Seed of the generator.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The features, float64.
    Y : ndarray of shape (n_samples, n_classes)
        The label indicator matrix, integers 0 and 1.

    Notes
    -----
    With ``random_state=1`` scikit-learn's generator draws a third label of
    probability about 1e-4, and its rejection sampler then takes several seconds
    (10 s and more on a slow machine) to make the default 1000 samples. Results for
    an integer ``random_state`` are therefore cached: later calls with the same
    arguments return fresh copies at once.

    Examples
    --------
    >>> from skmultimlp.datasets import make_tutorial_dataset
    >>> X, Y = make_tutorial_dataset(n_samples=100, random_state=0)
    >>> X.shape, Y.shape
    ((100, 10), (100, 3))
    >>> sorted(set(Y.ravel().tolist()))
    [0, 1]
    """
    arguments = (n_samples, n_features, n_classes, n_labels)
    if isinstance(random_state, numbers.Integral):
        X, Y = _cached_multilabel_classification(*arguments, int(random_state))
        return X.copy(), Y.copy()
    return _multilabel_classification(*arguments, random_state)


def _multilabel_classification(
    n_samples, n_features, n_classes, n_labels, random_state
):
    X, Y = make_multilabel_classification(
        n_samples,
        n_features,
        n_classes=n_classes,
        n_labels=n_labels,
        random_state=random_state,
    )
    return X.astype(np.float64, copy=False), Y


_cached_multilabel_classification = functools.lru_cache(maxsize=8)(
    _multilabel_classification
)


# --------------------------------------------------------------------------- ARFF


class _Attribute(NamedTuple):
    """One ``@attribute``: its name, and its declared values when nominal."""

    name: str
    values: "tuple | None"  # None for numeric attributes


# A value: single- or double-quoted (backslash escapes allowed) or bare, then a comma
# or the end of the text.
_VALUE = re.compile(r"""\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,'"]*?)\s*(,|$)""")
# One ``index value`` pair of a sparse row, the value possibly quoted.
_SPARSE_PAIR = re.compile(
    r"""\s*(\d+)\s+('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,'"\s]+)\s*(,|$)"""
)
# A sparse row with no quotes, checked in one go before the fast split.
_PLAIN_SPARSE_ROW = re.compile(
    r"\{\s*(?:\d+\s+[^\s,{}'\"]+\s*(?:,\s*\d+\s+[^\s,{}'\"]+\s*)*)?\}"
)
_QUOTED_NAME = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
_MEKA_LABELS = re.compile(r"-C\s+(-?\d+)")
_NUMERIC_TYPES = {"numeric", "real", "integer"}


def _unquote(token):
    if token[:1] in ("'", '"') and len(token) >= 2 and token[-1] == token[0]:
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _split_values(text, where):
    """Split a comma-separated list of possibly quoted values."""
    values, pos = [], 0
    while True:
        match = _VALUE.match(text, pos)
        if match is None:
            raise ValueError(f"{where}: cannot read the values in {text!r}")
        values.append(_unquote(match.group(1)))
        if match.group(2) != ",":
            return values
        pos = match.end()


def _parse_attribute(text, where):
    match = _QUOTED_NAME.match(text) or re.match(r"[^\s{]+", text)
    name = _unquote(match.group(0)) if match else ""
    type_text = text[match.end() :].strip() if match else ""
    if not name or not type_text:
        raise ValueError(f"{where}: expected '@attribute NAME TYPE', got {text!r}")
    if type_text.lower() in _NUMERIC_TYPES:
        return _Attribute(name, None)
    if type_text.startswith("{") and type_text.endswith("}"):
        return _Attribute(name, tuple(_split_values(type_text[1:-1], where)))
    raise ValueError(
        f"{where}: attribute {name!r} has type {type_text!r}; only numeric, real, "
        "integer and nominal {...} attributes are supported"
    )


def _parse_header(lines, filename):
    """Read the header; return the relation name, the attributes and the @data line."""
    relation, attributes = "", []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        keyword, rest = (line.split(None, 1) + [""])[:2]
        keyword = keyword.lower()
        where = f"{filename}, line {number}"
        if keyword == "@relation":
            relation = _unquote(rest.strip())
        elif keyword == "@attribute":
            attributes.append(_parse_attribute(rest.strip(), where))
        elif keyword == "@data":
            if not attributes:
                raise ValueError(f"{where}: @data before any @attribute")
            return relation, attributes, number
        else:
            raise ValueError(f"{where}: unexpected line in the header: {line[:60]!r}")
    raise ValueError(f"{filename}: not an ARFF file: no @data line")


def _sparse_pairs(line, where):
    """The index and value tokens of a sparse row ``{i v, j w, ...}``."""
    if _PLAIN_SPARSE_ROW.fullmatch(line):
        tokens = line[1:-1].replace(",", " ").split()
        return tokens[0::2], tokens[1::2]
    if not line.endswith("}"):
        raise ValueError(f"{where}: sparse row does not end with '}}'")
    inner = line[1:-1].strip()
    indices, values, pos = [], [], 0
    while inner:
        match = _SPARSE_PAIR.match(inner, pos)
        if match is None:
            raise ValueError(f"{where}: cannot read the sparse row {line[:60]!r}")
        indices.append(match.group(1))
        values.append(_unquote(match.group(2)))
        if match.group(3) != ",":
            break
        pos = match.end()
    return indices, values


def _dense_values(line, where):
    if "'" in line or '"' in line:
        return _split_values(line, where)
    values = line.split(",")
    if " " in line or "\t" in line:
        values = [value.strip() for value in values]
    return values


class _Entries(NamedTuple):
    """The data section as (row, column, token) triples, with row line numbers."""

    rows: np.ndarray
    columns: np.ndarray
    tokens: np.ndarray
    line_numbers: np.ndarray
    is_sparse: bool


def _read_entries(lines, first_line, n_attributes, filename):
    index_tokens, tokens, counts, line_numbers = [], [], [], []
    all_indices = [str(i) for i in range(n_attributes)]
    is_sparse = False
    for number in range(first_line + 1, len(lines) + 1):
        line = lines[number - 1].strip()
        if not line or line.startswith("%"):
            continue
        where = f"{filename}, line {number}"
        if line.startswith("{"):
            is_sparse = True
            row_indices, row_values = _sparse_pairs(line, where)
        else:
            row_values = _dense_values(line, where)
            if len(row_values) != n_attributes:
                raise ValueError(
                    f"{where}: expected {n_attributes} values, got {len(row_values)}"
                )
            row_indices = all_indices
        index_tokens.extend(row_indices)
        tokens.extend(row_values)
        counts.append(len(row_values))
        line_numbers.append(number)
    if not counts:
        raise ValueError(f"{filename}: the @data section has no rows")
    rows = np.repeat(np.arange(len(counts)), counts)
    if is_sparse:
        columns = np.array(index_tokens, dtype=np.int64)
    else:
        columns = np.tile(np.arange(n_attributes), len(counts))
    return _Entries(rows, columns, np.array(tokens), np.array(line_numbers), is_sparse)


def _decode_numeric(tokens, where_of):
    missing = tokens == "?"
    try:
        return np.where(missing, "nan", tokens).astype(np.float64)
    except ValueError:
        bad = next(
            i for i, t in enumerate(tokens) if not missing[i] and not _is_float(t)
        )
        raise ValueError(
            f"{where_of(bad)}: {str(tokens[bad])!r} is not a number"
        ) from None


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _decode_nominal(columns, tokens, attributes, where_of):
    """Map nominal tokens to their index in the declared list ('?' to NaN)."""
    unique_tokens, token_codes = np.unique(tokens, return_inverse=True)
    keys = columns * len(unique_tokens) + token_codes
    unique_keys, key_codes = np.unique(keys, return_inverse=True)
    table = np.empty(len(unique_keys))
    for k, key in enumerate(unique_keys.tolist()):
        attribute = attributes[key // len(unique_tokens)]
        token = str(unique_tokens[key % len(unique_tokens)])
        if token == "?":
            table[k] = np.nan
        elif token in attribute.values:
            table[k] = attribute.values.index(token)
        else:
            first = int(np.flatnonzero(key_codes == k)[0])
            raise ValueError(
                f"{where_of(first)}: {token!r} is not a declared value of attribute "
                f"{attribute.name!r} {{{','.join(attribute.values)}}}"
            )
    return table[key_codes]


def _decode(entries, attributes, filename):
    """The float value of every entry (nominal values become their index)."""
    out_of_range = np.flatnonzero(entries.columns >= len(attributes))
    if out_of_range.size:
        bad = out_of_range[0]
        line = entries.line_numbers[entries.rows[bad]]
        raise ValueError(
            f"{filename}, line {line}: attribute index {entries.columns[bad]} is out "
            f"of range for {len(attributes)} attributes"
        )
    nominal = np.array([a.values is not None for a in attributes])[entries.columns]
    values = np.empty(entries.tokens.shape, dtype=np.float64)
    for is_nominal in (False, True):
        positions = np.flatnonzero(nominal == is_nominal)
        if not positions.size:
            continue

        def where_of(i, positions=positions):
            return (
                f"{filename}, line {entries.line_numbers[entries.rows[positions[i]]]}"
            )

        tokens = entries.tokens[positions]
        if is_nominal:
            columns = entries.columns[positions]
            values[positions] = _decode_nominal(columns, tokens, attributes, where_of)
        else:
            values[positions] = _decode_numeric(tokens, where_of)
    return values


def _to_matrix(entries, values, n_attributes, filename):
    shape = (len(entries.line_numbers), n_attributes)
    if not entries.is_sparse:
        return values.reshape(shape)
    order = np.lexsort((entries.columns, entries.rows))
    rows, columns = entries.rows[order], entries.columns[order]
    repeated = (np.diff(rows) == 0) & (np.diff(columns) == 0)
    if repeated.any():
        line = entries.line_numbers[rows[np.flatnonzero(repeated)[0]]]
        raise ValueError(f"{filename}, line {line}: an attribute index appears twice")
    return sparse.csr_matrix((values[order], (rows, columns)), shape=shape)


def _companion_xml(path):
    stem = path.stem
    candidates = [path.with_suffix(".xml")]
    for part in ("-train", "-test", "_train", "_test"):
        if stem.endswith(part):
            candidates.append(path.with_name(stem[: -len(part)] + ".xml"))
    return next((c for c in candidates if c.is_file()), None)


def _xml_label_names(xml_path):
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as exc:
        raise ValueError(
            f"{xml_path.name}: not a valid Mulan XML file: {exc}"
        ) from None
    names = [e.get("name") for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "label"]
    if not names:
        raise ValueError(f"{xml_path.name}: no <label> elements")
    return names


def _label_columns(path, relation, attributes, n_labels, xml, label_location):
    """The attribute indices of the labels, following Mulan's or MEKA's rule."""
    n_attributes = len(attributes)
    location = label_location or "end"
    xml_names = None
    if n_labels is None:
        xml_path = Path(xml) if xml is not None else _companion_xml(path)
        if xml is not None and not xml_path.is_file():
            raise FileNotFoundError(f"label XML file not found: {xml_path}")
        if xml_path is not None:
            xml_names = _xml_label_names(xml_path)
            n_labels = len(xml_names)
        elif (meka := _MEKA_LABELS.search(relation)) is not None:
            n_labels = int(meka.group(1))
            location = label_location or ("start" if n_labels > 0 else "end")
            n_labels = abs(n_labels)
        else:
            raise ValueError(
                f"{path.name}: cannot tell which attributes are labels: no companion "
                "XML file and no MEKA '-C N' in the relation name; pass n_labels"
            )
    if location not in ("start", "end"):
        raise ValueError(f"label_location must be 'start' or 'end', got {location!r}")
    if not 1 <= n_labels < n_attributes:
        raise ValueError(
            f"{path.name}: n_labels={n_labels} is out of range for {n_attributes} "
            f"attributes (need 1 <= n_labels <= {n_attributes - 1})"
        )
    columns = (
        np.arange(n_labels)
        if location == "start"
        else np.arange(n_attributes - n_labels, n_attributes)
    )
    if xml_names is not None and set(xml_names) != {
        attributes[i].name for i in columns
    }:
        raise ValueError(
            f"{path.name}: the labels named in the XML file are not the last "
            f"{n_labels} attributes"
        )
    return columns


def _label_matrix(values, attributes, filename):
    """Turn decoded label columns into a 0/1 integer matrix, checking every value."""
    Y = np.empty(values.shape, dtype=np.int64)
    for j, attribute in enumerate(attributes):
        column = values[:, j]
        if np.isnan(column).any():
            raise ValueError(
                f"{filename}: label column {attribute.name!r} has missing values"
            )
        if attribute.values is not None:
            as_number = {"0": 0.0, "1": 1.0}
            table = np.array([as_number.get(v, np.nan) for v in attribute.values])
            column = table[column.astype(np.int64)]
        if not np.isin(column, (0.0, 1.0)).all():
            raise ValueError(
                f"{filename}: label column {attribute.name!r} has values other than 0/1"
            )
        Y[:, j] = column
    return Y


def _existing_file(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"dataset file not found: {path}")
    return path


def load_arff(path, n_labels=None, xml=None, label_location=None):
    """Load a multi-label dataset from an ARFF file (Mulan or MEKA convention).

    Which attributes are labels is decided in this order:

    1. ``n_labels`` when given: the last ``n_labels`` attributes (Mulan);
    2. the companion Mulan XML file (``xml``, else ``PATH.xml``, else ``NAME.xml``
       for ``NAME-train.arff`` / ``NAME-test.arff``): its number of ``<label>``
       elements, the last attributes;
    3. MEKA's ``-C N`` in the relation name: the first ``N`` attributes, or the last
       ``-N`` when ``N`` is negative.

    Label names and order always come from the ARFF header, never from the XML file
    (Mulan's XML files may list the labels in another order).

    Parameters
    ----------
    path : str or path-like
        The ARFF file. Dense rows and sparse ``{index value, ...}`` rows are read;
        numeric, real, integer and nominal attributes are supported.
    n_labels : int, default=None
        Number of label attributes. Overrides the XML file and MEKA's ``-C``.
    xml : str or path-like, default=None
        Mulan XML file naming the labels; by default it is looked for next to ``path``.
    label_location : {"start", "end"}, default=None
        Where the labels are: "end" (Mulan) unless MEKA's ``-C N`` decides.

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``. ``X`` is float64, dense for dense
        files and CSR for sparse ones; nominal features are encoded by their position
        in the declared list (so ``{0,1}`` gives 0 and 1) and missing values ``?``
        become NaN. ``Y`` holds integers 0 and 1.

    Raises
    ------
    FileNotFoundError
        If ``path`` (or the given ``xml``) does not exist.
    ValueError
        If the file is not valid ARFF, if the labels cannot be located, if
        ``n_labels`` is out of range, or if a label has missing values or values
        other than 0/1. The message names the file, and the line where it applies.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_arff
    >>> text = '''@relation toy
    ... @attribute x numeric
    ... @attribute rain {0,1}
    ... @attribute wind {0,1}
    ... @data
    ... 0.5,1,0
    ... 1.5,0,1
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.arff"
    ...     _ = path.write_text(text)
    ...     X, Y, label_names, feature_names = load_arff(path, n_labels=2)
    >>> X
    array([[0.5],
           [1.5]])
    >>> Y
    array([[1, 0],
           [0, 1]])
    >>> label_names, feature_names
    (['rain', 'wind'], ['x'])
    """
    path = _existing_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    relation, attributes, data_line = _parse_header(lines, path.name)
    label_columns = _label_columns(
        path, relation, attributes, n_labels, xml, label_location
    )
    entries = _read_entries(lines, data_line, len(attributes), path.name)
    values = _decode(entries, attributes, path.name)
    matrix = _to_matrix(entries, values, len(attributes), path.name)
    is_label = np.zeros(len(attributes), dtype=bool)
    is_label[label_columns] = True
    feature_columns = np.flatnonzero(~is_label)
    label_values = matrix[:, label_columns]
    if sparse.issparse(label_values):
        label_values = label_values.toarray()
    Y = _label_matrix(label_values, [attributes[i] for i in label_columns], path.name)
    return MultilabelDataset(
        X=matrix[:, feature_columns],
        Y=Y,
        label_names=[attributes[i].name for i in label_columns],
        feature_names=[attributes[i].name for i in feature_columns],
    )


# ------------------------------------------------------------------ CSV and LIBSVM


def _csv_columns(header, label_columns, filename):
    """Split the header's column positions into features and labels."""
    if isinstance(label_columns, (int, np.integer)) and not isinstance(
        label_columns, bool
    ):
        if not 1 <= label_columns < len(header):
            raise ValueError(
                f"{filename}: label_columns={label_columns} is out of range for "
                f"{len(header)} columns (need 1 <= label_columns <= {len(header) - 1})"
            )
        labels = list(range(len(header) - label_columns, len(header)))
    else:
        names = list(label_columns)
        unknown = [name for name in names if name not in header]
        if unknown or not names:
            raise ValueError(
                f"{filename}: label columns {unknown or names} not in the header"
            )
        labels = [header.index(name) for name in names]
    features = [i for i in range(len(header)) if i not in set(labels)]
    if not features:
        raise ValueError(f"{filename}: every column is a label; no features left")
    return features, labels


def load_csv(path, label_columns):
    """Load a multi-label dataset from a CSV file with a header row.

    Parameters
    ----------
    path : str or path-like
        Comma-separated file; the first row names the columns. Every cell must be a
        number; an empty cell or ``?`` is a missing feature value (NaN).
    label_columns : int or list of str
        The label columns: an int ``N`` for the last ``N`` columns, or their names
        (``Y``'s columns then follow the order given).

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)`` with a dense float64 ``X`` and a 0/1
        integer ``Y``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a row has the wrong number of cells, a cell is not a number, a label
        column is unknown, missing values or holds values other than 0/1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_csv
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.csv"
    ...     _ = path.write_text("x,y,rain,wind\\n0.5,2,1,0\\n1.5,,0,1\\n")
    ...     dataset = load_csv(path, label_columns=["wind", "rain"])
    >>> dataset.X
    array([[0.5, 2. ],
           [1.5, nan]])
    >>> dataset.Y
    array([[0, 1],
           [1, 0]])
    >>> dataset.label_names
    ['wind', 'rain']
    """
    import csv

    path = _existing_file(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row]
    if len(rows) < 2:
        raise ValueError(
            f"{path.name}: expected a header row and at least one data row"
        )
    header = [name.strip() for name in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(
                f"{path.name}, row {number}: expected {len(header)} cells, "
                f"got {len(row)}"
            )
    features, labels = _csv_columns(header, label_columns, path.name)
    cells = np.char.strip(np.array(rows[1:]))
    cells[(cells == "") | (cells == "?")] = "nan"
    try:
        values = cells.astype(np.float64)
    except ValueError as exc:
        raise ValueError(f"{path.name}: a cell is not a number ({exc})") from None
    label_names = [header[i] for i in labels]
    Y = _label_matrix(
        values[:, labels], [_Attribute(n, None) for n in label_names], path.name
    )
    return MultilabelDataset(
        X=values[:, features],
        Y=Y,
        label_names=label_names,
        feature_names=[header[i] for i in features],
    )


def load_libsvm_multilabel(path, n_features=None):
    """Load a multi-label dataset in LIBSVM / svmlight format.

    Each line reads ``l1,l2,... idx:val idx:val ...``; it is parsed by
    :func:`sklearn.datasets.load_svmlight_file` with ``multilabel=True``.

    Parameters
    ----------
    path : str or path-like
        The LIBSVM file.
    n_features : int, default=None
        Number of features; by default the largest index in the file.

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``: a float64 CSR ``X``, a 0/1 integer
        ``Y`` with one column per label id seen in the file (sorted), the label ids
        as strings, and feature names ``"x0", "x1", ...``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_libsvm_multilabel
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.svm"
    ...     _ = path.write_text("0,2 1:0.5 3:1\\n1 2:1.5\\n")
    ...     X, Y, label_names, feature_names = load_libsvm_multilabel(path)
    >>> X.toarray()
    array([[0.5, 0. , 1. ],
           [0. , 1.5, 0. ]])
    >>> Y
    array([[1, 0, 1],
           [0, 1, 0]])
    >>> label_names
    ['0', '1', '2']
    """
    path = _existing_file(path)
    X, y = load_svmlight_file(
        str(path), n_features=n_features, multilabel=True, dtype=np.float64
    )
    binarizer = MultiLabelBinarizer()
    Y = binarizer.fit_transform(y).astype(np.int64, copy=False)
    return MultilabelDataset(
        X=X.tocsr(),
        Y=Y,
        label_names=[f"{label:g}" for label in binarizer.classes_],
        feature_names=[f"x{i}" for i in range(X.shape[1])],
    )


_LIBSVM_SUFFIXES = {".svm", ".libsvm", ".svmlight", ".txt"}


def load_dataset(path, n_labels=None, label_columns=None):
    """Load a multi-label dataset, choosing the reader from the file's suffix.

    ``.arff`` goes to :func:`load_arff`, ``.csv`` to :func:`load_csv`, and
    ``.svm``, ``.libsvm``, ``.svmlight`` and ``.txt`` to
    :func:`load_libsvm_multilabel`.

    Parameters
    ----------
    path : str or path-like
        The dataset file.
    n_labels : int, default=None
        ARFF: number of label attributes (see :func:`load_arff`). CSV: the last
        ``n_labels`` columns are labels, unless ``label_columns`` is given.
    label_columns : int or list of str, default=None
        CSV only: the label columns (see :func:`load_csv`).

    Returns
    -------
    dataset : MultilabelDataset
        ``(X, Y, label_names, feature_names)``.

    Raises
    ------
    ValueError
        If the suffix is unknown, or an argument does not apply to the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmultimlp.datasets import load_dataset
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "toy.csv"
    ...     _ = path.write_text("x,rain,wind\\n0.5,1,0\\n1.5,0,1\\n")
    ...     X, Y, label_names, feature_names = load_dataset(path, n_labels=2)
    >>> Y.shape, label_names
    ((2, 2), ['rain', 'wind'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        columns = label_columns if label_columns is not None else n_labels
        if columns is None:
            raise ValueError(
                f"{path.name}: pass label_columns or n_labels for a CSV file"
            )
        return load_csv(path, columns)
    if label_columns is not None:
        raise ValueError("label_columns applies to CSV files only")
    if suffix == ".arff":
        return load_arff(path, n_labels=n_labels)
    if suffix in _LIBSVM_SUFFIXES:
        if n_labels is not None:
            raise ValueError(
                "n_labels does not apply to LIBSVM files: labels are listed per row"
            )
        return load_libsvm_multilabel(path)
    raise ValueError(
        f"{path.name}: unknown dataset format {suffix!r}; expected .arff, .csv or "
        f"one of {sorted(_LIBSVM_SUFFIXES)}"
    )
