"""ARFF: the header and the data section, read line by line; nothing about labels.

The data rows are decoded one at a time into growing typed buffers
(:class:`array.array`), so the peak memory stays a small multiple of the arrays
returned, and a malformed row is reported with its line number as soon as it is read.
"""

import math
import re
from array import array
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ._base import LONGEST_NUMBER, Column, parse_number

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
_NUMERIC_TYPES = {"numeric", "real", "integer"}
_LONGEST_INDEX = 18  # digits of a column index that surely fits an int64


class ArffHeader(NamedTuple):
    """The relation name and the attributes (as :class:`Column`) of an ARFF file."""

    relation: str
    attributes: list


def numbered_lines(handle):
    """``(line number, line)`` pairs of an open text file, counted as ``splitlines``."""
    number = 0
    for chunk in handle:
        for line in chunk.splitlines() or [""]:
            number += 1
            yield number, line


# ------------------------------------------------------------------------- header


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
        return Column(name, None)
    if type_text.startswith("{") and type_text.endswith("}"):
        return Column(name, tuple(_split_values(type_text[1:-1], where)))
    raise ValueError(
        f"{where}: attribute {name!r} has type {type_text!r}; only numeric, real, "
        "integer and nominal {...} attributes are supported"
    )


def read_header(lines, filename):
    """Read ``lines`` (from :func:`numbered_lines`) up to and including ``@data``."""
    relation, attributes, declared_on = "", [], {}
    for number, raw in lines:
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        keyword, rest = (line.split(None, 1) + [""])[:2]
        keyword = keyword.lower()
        where = f"{filename}, line {number}"
        if keyword == "@relation":
            relation = _unquote(rest.strip())
        elif keyword == "@attribute":
            attribute = _parse_attribute(rest.strip(), where)
            if attribute.name in declared_on:
                raise ValueError(
                    f"{where}: attribute {attribute.name!r} is already declared on "
                    f"line {declared_on[attribute.name]}"
                )
            declared_on[attribute.name] = number
            attributes.append(attribute)
        elif keyword == "@data":
            if not attributes:
                raise ValueError(f"{where}: @data before any @attribute")
            return ArffHeader(relation, attributes)
        else:
            raise ValueError(f"{where}: unexpected line in the header: {line[:60]!r}")
    raise ValueError(f"{filename}: not an ARFF file: no @data line")


# ----------------------------------------------------------------- row tokenizing


def _dense_tokens(line, where):
    if "'" in line or '"' in line:
        return _split_values(line, where)
    tokens = line.split(",")
    if " " in line or "\t" in line:
        tokens = [token.strip() for token in tokens]
    return tokens


def _sparse_tokens(line, where):
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


# ------------------------------------------------------------------- row decoding


def _nominal_codes(values):
    """Each declared value's position as a float ('?' is missing: NaN)."""
    codes = {}
    for position, value in enumerate(values):
        codes.setdefault(value, float(position))
    codes["?"] = math.nan
    return codes


def _decode_token(token, attribute, where):
    """One value as a float, or a ValueError that says what is wrong with it."""
    if token == "?":
        return math.nan
    if attribute.values is not None:
        if token in attribute.values:
            return float(attribute.values.index(token))
        raise ValueError(
            f"{where}: {token!r} is not a declared value of attribute "
            f"{attribute.name!r} {{{','.join(attribute.values)}}}"
        )
    return parse_number(token, where)


class _RowDecoder:
    """Turns the text of one data row into floats, nominal values into positions."""

    def __init__(self, attributes):
        self.attributes = attributes
        # The fast path: one C-level call per token; any failure (a '?' in a numeric
        # column, a bad token) is redone by _decode_token, which explains it.
        # Attributes declared alike share one table (bag-of-words files declare
        # thousands of {0,1} attributes: one dict each was most of the peak memory).
        tables = {}
        for a in attributes:
            if a.values is not None and a.values not in tables:
                tables[a.values] = _nominal_codes(a.values).__getitem__
        self.fast = [float if a.values is None else tables[a.values] for a in attributes]

    def _decode(self, tokens, where, columns=None):
        """The floats of ``tokens``, the values of ``columns`` (default: every one)."""
        if columns is None:
            decoders, attributes = self.fast, self.attributes
        else:
            decoders = map(self.fast.__getitem__, columns)
            attributes = map(self.attributes.__getitem__, columns)
        if max(map(len, tokens), default=0) <= LONGEST_NUMBER:
            try:
                return [decode(token) for decode, token in zip(decoders, tokens)]
            except (ValueError, KeyError):
                pass
        return [_decode_token(t, a, where) for t, a in zip(tokens, attributes)]

    def dense(self, line, where):
        """The values of a dense row ``v1,v2,...``."""
        tokens = _dense_tokens(line, where)
        if len(tokens) != len(self.attributes):
            raise ValueError(
                f"{where}: expected {len(self.attributes)} values, got {len(tokens)}"
            )
        return self._decode(tokens, where)

    def sparse(self, line, where):
        """The sorted column indices and the values of a sparse row ``{i v, ...}``."""
        index_tokens, value_tokens = _sparse_tokens(line, where)
        indices = self._column_indices(index_tokens, where)
        values = self._decode(value_tokens, where, indices)
        if len(set(indices)) != len(indices):
            raise ValueError(f"{where}: an attribute index appears twice")
        if indices != sorted(indices):
            order = sorted(range(len(indices)), key=indices.__getitem__)
            indices, values = [indices[k] for k in order], [values[k] for k in order]
        return indices, values

    def _column_indices(self, index_tokens, where):
        n_attributes = len(self.attributes)
        # A digit string longer than _LONGEST_INDEX is out of range whatever it says,
        # so it is never converted.
        if max(map(len, index_tokens), default=0) <= _LONGEST_INDEX:
            indices = list(map(int, index_tokens))
            if max(indices, default=-1) < n_attributes:
                return indices
        bad = next(
            t for t in index_tokens if len(t) > _LONGEST_INDEX or int(t) >= n_attributes
        )
        digits = bad.lstrip("0") or "0"
        shown = digits if len(digits) <= 40 else f"of {len(digits)} digits"
        raise ValueError(
            f"{where}: attribute index {shown} is out of range for "
            f"{n_attributes} attributes"
        )


# -------------------------------------------------------------------- row storage


class _RowStore:
    """Decoded rows in growing typed buffers: dense until the first sparse row."""

    def __init__(self, n_columns):
        self.n_columns = n_columns
        self.n_rows = 0
        self.values = array("d")  # row after row; in CSR order once sparse
        self.indices = None  # array of column indices once sparse
        self.indptr = None

    def add_dense(self, values):
        if self.indices is not None:
            self.indices.extend(range(self.n_columns))
            self.indptr.append(len(self.indices))
        self.values.extend(values)
        self.n_rows += 1

    def add_sparse(self, indices, values):
        if self.indices is None:
            self._switch_to_sparse()
        self.indices.extend(indices)
        self.indptr.append(len(self.indices))
        self.values.extend(values)
        self.n_rows += 1

    def _switch_to_sparse(self):
        # The dense rows read so far keep every column, zeros included.
        self.indices = array("i", range(self.n_columns)) * self.n_rows
        self.indptr = array("q", range(0, len(self.indices) + 1, self.n_columns))

    def to_matrix(self):
        """The rows as a float64 array, or a CSR matrix if any row was sparse."""
        values = np.frombuffer(self.values, dtype=np.float64)
        shape = (self.n_rows, self.n_columns)
        if self.indices is None:
            return values.reshape(shape)
        indices = np.frombuffer(self.indices, dtype=np.intc)
        return sparse.csr_matrix(
            (values, indices, np.asarray(self.indptr, dtype=np.int64)), shape=shape
        )


def read_data(lines, header, filename):
    """Read the data rows that follow :func:`read_header` on the same ``lines``.

    Returns a float64 array of shape (n_rows, n_attributes), or a CSR matrix when
    any row is sparse; nominal values become their position in the declared list and
    ``?`` becomes NaN.
    """
    decoder = _RowDecoder(header.attributes)
    store = _RowStore(len(header.attributes))
    for number, raw in lines:
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        where = f"{filename}, line {number}"
        if line.startswith("{"):
            store.add_sparse(*decoder.sparse(line, where))
        else:
            store.add_dense(decoder.dense(line, where))
    if not store.n_rows:
        raise ValueError(f"{filename}: the @data section has no rows")
    return store.to_matrix()
