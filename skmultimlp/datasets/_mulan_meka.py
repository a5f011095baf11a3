"""Which attributes of an ARFF file are labels: the Mulan and MEKA conventions.

Two multi-label conventions are in use:

- **Mulan**: the labels are the *last* ``n_labels`` attributes, named in a companion
  ``NAME.xml`` file;
- **MEKA**: the relation name carries ``-C N``; the *first* ``N`` attributes are the
  labels (the *last* ``-N`` when ``N`` is negative).

The ARFF syntax itself is read by :mod:`._arff`.
"""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from ._arff import numbered_lines, read_data, read_header
from ._base import existing_file, open_text, split_features_and_labels

_MEKA_LABELS = re.compile(r"-C\s+(-?\d+)")


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
    if None in names:
        raise ValueError(f"{xml_path.name}: a <label> element has no name attribute")
    return names


def _label_columns(path, header, n_labels, xml, label_location):
    """The attribute indices of the labels, following Mulan's or MEKA's rule."""
    attributes = header.attributes
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
        elif (meka := _MEKA_LABELS.search(header.relation)) is not None:
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
        become NaN. ``Y`` holds 0 and 1 as uint8.

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
           [0, 1]], dtype=uint8)
    >>> label_names, feature_names
    (['rain', 'wind'], ['x'])
    """
    path = existing_file(path)
    with open_text(path) as handle:
        lines = numbered_lines(handle)
        header = read_header(lines, path.name)
        # Labels are located before the rows are read, so that a file whose labels
        # cannot be found is refused without reading its data.
        label_columns = _label_columns(path, header, n_labels, xml, label_location)
        matrix = read_data(lines, header, path.name)
    return split_features_and_labels(
        matrix, header.attributes, label_columns, path.name
    )
