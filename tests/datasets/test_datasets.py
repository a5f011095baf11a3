"""Tests for skmultimlp.datasets: the tutorial set and the ARFF, CSV, LIBSVM loaders."""

import inspect
import sys
import tracemalloc
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.datasets import make_multilabel_classification

from skmultimlp.datasets import (
    MultilabelDataset,
    load_arff,
    load_csv,
    load_dataset,
    load_libsvm_multilabel,
    make_tutorial_dataset,
)

# file, n_samples, n_features, n_labels, sparse, label cardinality (SOURCE.txt) or None
REAL_FILES = [
    ("emotions/emotions.arff", 593, 72, 6, False, 1.8685),
    ("emotions/emotions-train.arff", 391, 72, 6, False, None),
    ("emotions/emotions-test.arff", 202, 72, 6, False, None),
    ("yeast/yeast.arff", 2417, 103, 14, False, 4.2371),
    ("yeast/yeast-train.arff", 1500, 103, 14, False, None),
    ("yeast/yeast-test.arff", 917, 103, 14, False, None),
    ("scene/scene-train.arff", 1211, 294, 6, False, None),
    ("scene/scene-test.arff", 1196, 294, 6, False, None),
    ("medical/medical.arff", 978, 1449, 45, True, 1.2454),
    ("medical/medical-train.arff", 333, 1449, 45, True, None),
    ("medical/medical-test.arff", 645, 1449, 45, True, None),
]


@pytest.fixture(scope="module")
def bibtex(data_dir):
    return load_arff(data_dir / "bibtex" / "bibtex.arff")


def _first_row_from_raw_file(path, n_attributes):
    """The first data row of an ARFF file, read naively (no quotes, no comments)."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lower().startswith("@data"))
    line = next(line for line in lines[start + 1 :] if line.strip())
    row = np.zeros(n_attributes)
    if line.startswith("{"):
        for pair in line.strip("{}").split(","):
            index, value = pair.split()
            row[int(index)] = float(value)
    else:
        row[:] = [float(value) for value in line.split(",")]
    return row


def _dense(X):
    return X.toarray() if sparse.issparse(X) else X


# ----------------------------------------------------------------- tutorial set


def test_make_tutorial_dataset_defaults():
    # Not called with its defaults here: scikit-learn takes ~10 s to make that set.
    defaults = {
        name: p.default
        for name, p in inspect.signature(make_tutorial_dataset).parameters.items()
    }
    assert defaults == dict(
        n_samples=1000, n_features=10, n_classes=3, n_labels=2, random_state=1
    )


@pytest.mark.parametrize(
    "random_state",
    [lambda: 0, lambda: np.random.RandomState(0)],
    ids=["int", "instance"],
)
def test_make_tutorial_dataset_is_sklearn_generator(random_state):
    X, Y = make_tutorial_dataset(
        n_samples=60, n_features=4, n_classes=5, random_state=random_state()
    )
    X_ref, Y_ref = make_multilabel_classification(
        60, 4, n_classes=5, n_labels=2, random_state=random_state()
    )
    assert X.dtype == np.float64 and np.issubdtype(Y.dtype, np.integer)
    assert_array_equal(X, X_ref)
    assert_array_equal(Y, Y_ref)
    assert set(np.unique(Y)) == {0, 1}


def test_make_tutorial_dataset_cache_returns_fresh_copies():
    X, Y = make_tutorial_dataset(n_samples=30, random_state=0)
    X[:] = 0
    Y[:] = 7
    X2, Y2 = make_tutorial_dataset(n_samples=30, random_state=0)
    assert X2.any() and set(np.unique(Y2)) == {0, 1}


# --------------------------------------------------------------- real datasets


@pytest.mark.parametrize("name, n, d, q, is_sparse, cardinality", REAL_FILES)
def test_real_dataset_shapes_and_first_row(
    data_dir, name, n, d, q, is_sparse, cardinality
):
    path = data_dir / name
    dataset = load_arff(path)
    X, Y, label_names, feature_names = dataset
    assert isinstance(dataset, MultilabelDataset)
    assert X.shape == (n, d) and Y.shape == (n, q)
    assert sparse.issparse(X) == is_sparse
    assert X.dtype == np.float64
    if is_sparse:
        assert X.format == "csr"
    assert set(np.unique(Y)) <= {0, 1}
    assert len(label_names) == q and len(feature_names) == d
    if cardinality is not None:
        assert Y.sum(axis=1).mean() == pytest.approx(cardinality, abs=1e-4)
    raw = _first_row_from_raw_file(path, d + q)
    assert_array_equal(_dense(X[:1])[0], raw[:d])
    assert_array_equal(Y[0], raw[d:])


def test_yeast_label_order_is_the_arff_order_not_the_xml_order(data_dir):
    X, Y, label_names, feature_names = load_arff(data_dir / "yeast" / "yeast.arff")
    assert label_names == [f"Class{i}" for i in range(1, 15)]
    assert feature_names[0] == "Att1" and feature_names[-1] == "Att103"
    # The raw file's first row ends with ...,0,0,0,0,0,0,1,1,0,0,0,1,1,0
    assert_array_equal(Y[0], [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0])
    assert X[0, 0] == 0.004168 and X[0, -1] == 0.124722


def test_emotions_names_and_unscaled_range(data_dir):
    X, Y, label_names, feature_names = load_arff(
        data_dir / "emotions" / "emotions.arff"
    )
    assert label_names == [
        "amazed-suprised",
        "happy-pleased",
        "relaxing-calm",
        "quiet-still",
        "sad-lonely",
        "angry-aggresive",
    ]
    assert feature_names[0] == "Mean_Acc1298_Mean_Mem40_Centroid"
    assert X.min() < -90 and X.max() > 200


def test_scene_train_finds_scene_xml(data_dir):
    X, Y, label_names, _ = load_arff(data_dir / "scene" / "scene-train.arff")
    assert label_names == [
        "Beach",
        "Sunset",
        "FallFoliage",
        "Field",
        "Mountain",
        "Urban",
    ]
    assert X.min() >= 0 and X.max() <= 1


def test_medical_ignores_stray_meka_header(data_dir):
    X, Y, label_names, feature_names = load_arff(data_dir / "medical" / "medical.arff")
    assert label_names[0] == "Class-0-593_70" and label_names[-1] == "Class-44-786_07"
    assert feature_names[:3] == ["-", "/", "0"]
    # first row: {80 1,199 1,392 1,571 1,866 1,1234 1,1416 1,1453 1}
    assert_array_equal(X[0].indices, [80, 199, 392, 571, 866, 1234, 1416])
    assert_array_equal(np.flatnonzero(Y[0]), [1453 - 1449])


def test_bibtex(bibtex):
    X, Y, label_names, feature_names = bibtex
    assert sparse.isspmatrix_csr(X) and X.shape == (7395, 1836)
    assert Y.shape == (7395, 159)
    assert np.all(X.data == 1.0)
    assert label_names[:3] == ["TAG_2005", "TAG_2006", "TAG_2007"]
    assert label_names[-1] == "TAG_wiki"
    assert Y.sum(axis=1).mean() == pytest.approx(2.4019, abs=1e-4)


def test_load_dataset_dispatches_arff(data_dir):
    X, Y, _, _ = load_dataset(data_dir / "emotions" / "emotions.arff")
    assert X.shape == (593, 72) and Y.shape == (593, 6)


def _int64_labels_of_raw_file(path, n_features, n_labels):
    """The label matrix read independently of the loader, as int64."""
    rows, in_data = [], False
    for line in path.read_text().splitlines():
        if in_data and line.strip() and not line.startswith("%"):
            rows.append([int(v) for v in line.split(",")[n_features:]])
        in_data = in_data or line.strip().lower() == "@data"
    return np.array(rows, dtype=np.int64)


def test_loaders_return_uint8_labels_with_their_names(data_dir, tmp_path):
    # One byte per label cell (121 MiB of int64 for a 16k x 983 dataset).
    path = data_dir / "emotions" / "emotions.arff"
    dataset = load_dataset(path)
    assert dataset.Y.dtype == np.uint8 and dataset.Y.flags.c_contiguous
    assert_array_equal(dataset.Y, _int64_labels_of_raw_file(path, 72, 6))
    assert dataset.target_names is dataset.label_names
    assert dataset.label_names[:2] == ["amazed-suprised", "happy-pleased"]
    medical = load_arff(data_dir / "medical" / "medical.arff")  # sparse rows
    # 1218 = 978 rows x label cardinality 1.245 (Mulan's figure for medical).
    assert medical.Y.dtype == np.uint8 and medical.Y.sum() == 1218
    csv = _write(tmp_path, "x,rain,wind\n0.5,1,0\n1.5,0,1\n", name="toy.csv")
    svm = _write(tmp_path, "0,2 1:0.5\n1 2:1.5\n", name="toy.svm")
    for file in (csv, svm):
        Y = load_dataset(file, n_labels=2 if file == csv else None).Y
        assert Y.dtype == np.uint8
    assert make_tutorial_dataset(n_samples=50, random_state=0)[1].dtype == np.uint8


# --------------------------------------------------------- synthetic ARFF files


def _write(tmp_path, text, name="toy.arff"):
    path = tmp_path / name
    path.write_text(text)
    return path


TOY = """% a comment
@RELATION toy

@ATTRIBUTE 'first feature' NUMERIC
@Attribute "size" {small, 'very big'}
@attribute\tn\tINTEGER
% labels
@attribute rain {0,1}
@attribute wind real

@DATA
% first row
0.5, small, 3, 1, 0

?,'very big',4,0,1
"""


def test_arff_syntax_quotes_comments_nominal_missing(tmp_path):
    X, Y, label_names, feature_names = load_arff(_write(tmp_path, TOY), n_labels=2)
    assert feature_names == ["first feature", "size", "n"]
    assert label_names == ["rain", "wind"]
    assert_array_equal(X, [[0.5, 0.0, 3.0], [np.nan, 1.0, 4.0]])
    assert_array_equal(Y, [[1, 0], [0, 1]])


def test_arff_label_location_start(tmp_path):
    text = "@relation r\n@attribute y {0,1}\n@attribute a numeric\n@data\n1,0.5\n0,2\n"
    X, Y, label_names, _ = load_arff(
        _write(tmp_path, text), n_labels=1, label_location="start"
    )
    assert label_names == ["y"]
    assert_array_equal(X, [[0.5], [2.0]])
    assert_array_equal(Y, [[1], [0]])
    with pytest.raises(ValueError, match="missing values"):
        load_arff(_write(tmp_path, TOY), n_labels=1, label_location="start")
    with pytest.raises(ValueError, match="label_location"):
        load_arff(_write(tmp_path, TOY), n_labels=1, label_location="middle")


SPARSE = """@relation 'sparse: -C 2'
@attribute a {0,1}
@attribute b numeric
@attribute w1 numeric
@attribute w2 {0,1}
@data
{0 1,2 0.5}
{1 1, 3 1}
{}
{2 'quoted', 3 1}
"""


def test_arff_meka_header_first_labels_and_sparse_rows(tmp_path):
    text = SPARSE.replace("{2 'quoted', 3 1}", "{2 2.5, 3 1}")
    X, Y, label_names, feature_names = load_arff(_write(tmp_path, text))
    assert label_names == ["a", "b"] and feature_names == ["w1", "w2"]
    assert sparse.isspmatrix_csr(X)
    assert_array_equal(X.toarray(), [[0.5, 0], [0, 1], [0, 0], [2.5, 1]])
    assert_array_equal(Y, [[1, 0], [0, 1], [0, 0], [0, 0]])


def test_arff_meka_negative_count_means_last(tmp_path):
    text = SPARSE.replace("-C 2", "-C -1").replace("{2 'quoted', 3 1}", "{}")
    _, Y, label_names, _ = load_arff(_write(tmp_path, text))
    assert label_names == ["w2"]
    assert_array_equal(Y[:, 0], [0, 1, 0, 0])


def test_arff_quoted_sparse_value_is_read_then_rejected_as_number(tmp_path):
    with pytest.raises(
        ValueError, match=r"toy\.arff, line 10: 'quoted' is not a number"
    ):
        load_arff(_write(tmp_path, SPARSE))


XML = """<?xml version="1.0" encoding="utf-8"?>
<labels xmlns="http://mulan.sourceforge.net/labels">
<label name="wind"></label>
<label name="rain"></label>
</labels>
"""


def test_arff_companion_xml_for_train_file_and_header_order(tmp_path):
    _write(tmp_path, XML, name="toy.xml")
    _, _, label_names, _ = load_arff(_write(tmp_path, TOY, name="toy-train.arff"))
    assert label_names == ["rain", "wind"]


def test_arff_n_labels_overrides_xml(tmp_path):
    _write(tmp_path, XML, name="toy.xml")
    _, Y, label_names, _ = load_arff(_write(tmp_path, TOY), n_labels=1)
    assert label_names == ["wind"] and Y.shape == (2, 1)


def test_arff_explicit_xml(tmp_path):
    xml = _write(tmp_path, XML, name="labels.xml")
    _, _, label_names, _ = load_arff(_write(tmp_path, TOY), xml=xml)
    assert label_names == ["rain", "wind"]
    with pytest.raises(FileNotFoundError):
        load_arff(_write(tmp_path, TOY), xml=tmp_path / "absent.xml")


def test_arff_xml_naming_other_attributes(tmp_path):
    _write(tmp_path, XML.replace("wind", "n"), name="toy.xml")
    with pytest.raises(ValueError, match="not the last 2 attributes"):
        load_arff(_write(tmp_path, TOY))


ARFF_HEADER = "@relation r\n@attribute a numeric\n@attribute b {0,1}\n"


@pytest.mark.parametrize(
    "text, match",
    [
        (ARFF_HEADER + "1,0\n", "line 4"),
        (ARFF_HEADER, "no @data"),
        ("@relation r\n@attribute a string\n@attribute b {0,1}\n@data\n", "'string'"),
        ("@relation r\n@attribute a\n@data\n", "@attribute NAME TYPE"),
        (
            ARFF_HEADER + "@data\n1,0\n1,0,1\n",
            r"line 6: expected 2 values, got 3",
        ),
        (
            ARFF_HEADER + "@data\n1,0\nx,1\n",
            r"line 6: 'x' is not a number",
        ),
        (
            "@relation r\n@attribute a {u,v}\n@attribute b {0,1}\n@data\nu,0\nw,1\n",
            r"line 6: 'w' is not a declared value of attribute 'a'",
        ),
        (
            ARFF_HEADER + "@data\n{0 1, 5 1}\n",
            "line 5: attribute index 5 is out of range",
        ),
        (
            ARFF_HEADER + "@data\n{0 1, 0 2}\n",
            "line 5: an attribute index appears twice",
        ),
        (
            ARFF_HEADER + "@data\n{0 1\n",
            "line 5",
        ),
        (ARFF_HEADER + "@data\n", "no rows"),
    ],
)
def test_arff_malformed(tmp_path, text, match):
    with pytest.raises(ValueError, match=match) as error:
        load_arff(_write(tmp_path, text), n_labels=1)
    assert "toy.arff" in str(error.value)


def _traced_peak(function):
    """``function()``'s exception (or None) and its tracemalloc peak in bytes."""
    tracemalloc.start()
    try:
        function()
        error = None
    except ValueError as exc:
        error = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


@pytest.mark.parametrize(
    "row, match",
    [
        ("1" * 100_000 + ",1", "a value of 100000 characters is too long to be a number"),
        ("{99999999999999999999 1}", "attribute index 99999999999999999999 is out of"),
        ("{" + "9" * 100_000 + " 1}", "attribute index of 100000 digits is out of range"),
    ],
    ids=["100kB-number", "absurd-index", "100kB-index"],
)
def test_arff_huge_token_fails_fast_in_bounded_memory(tmp_path, row, match):
    # 200 ordinary rows, then the bad one. The tokenizer of bbc9726 kept every token
    # of the file in one fixed-width string array: 401 tokens x 100 kB x 4 bytes.
    path = _write(tmp_path, ARFF_HEADER + "@data\n" + "1,0\n" * 200 + row + "\n")
    error, peak = _traced_peak(lambda: load_arff(path, n_labels=1))
    assert error is not None and len(str(error).splitlines()) == 1
    assert str(error).startswith("toy.arff, line 205: ")
    assert match in str(error)
    assert peak < 2_000_000


@pytest.mark.parametrize("name", ["emotions/emotions.arff", "medical/medical.arff"])
def test_arff_peak_memory_is_a_small_multiple_of_the_result(data_dir, name):
    # Rows are decoded one at a time into typed buffers: no per-token arrays.
    dataset = []
    error, peak = _traced_peak(lambda: dataset.append(load_arff(data_dir / name)))
    X, Y, label_names, feature_names = dataset[0]
    # The names are part of the result: medical's 1,449 feature names weigh 95 kB,
    # half as much as its sparse X, now that Y is uint8.
    names = label_names + feature_names
    size = Y.nbytes + sys.getsizeof(names) + sum(map(sys.getsizeof, names)) + (
        X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
        if sparse.issparse(X)
        else X.nbytes
    )
    assert error is None and peak < 3 * size


@pytest.mark.parametrize("n_labels", [0, 5, 6])
def test_arff_n_labels_out_of_range(tmp_path, n_labels):
    with pytest.raises(ValueError, match=f"n_labels={n_labels} is out of range"):
        load_arff(_write(tmp_path, TOY), n_labels=n_labels)


def test_arff_without_label_information(tmp_path):
    with pytest.raises(ValueError, match="pass n_labels"):
        load_arff(_write(tmp_path, TOY))


@pytest.mark.parametrize(
    "declared, value",
    [("numeric", "2"), ("numeric", "0.5"), ("{0,1,2}", "2"), ("{yes,no}", "yes")],
)
def test_arff_labels_other_than_0_1(tmp_path, declared, value):
    text = f"@relation r\n@attribute a numeric\n@attribute x {declared}\n"
    text += f"@data\n1,{value}\n"
    with pytest.raises(ValueError, match="label column 'x' has values other than 0/1"):
        load_arff(_write(tmp_path, text), n_labels=1)


def test_arff_missing_label(tmp_path):
    text = "@relation r\n@attribute a numeric\n@attribute x {0,1}\n@data\n1,?\n"
    with pytest.raises(ValueError, match="label column 'x' has missing values"):
        load_arff(_write(tmp_path, text), n_labels=1)


def test_missing_files(tmp_path):
    for loader in (load_arff, load_dataset, load_libsvm_multilabel):
        with pytest.raises(FileNotFoundError):
            loader(tmp_path / "absent.arff")
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "absent.csv", 1)


# ---------------------------------------------------------------- CSV and LIBSVM

CSV = "x1,x2,rain,wind\n0.5,1,1,0\n1.5,,0,1\n2.5,?,1,1\n"


def test_csv_last_n_and_named_columns(tmp_path):
    path = _write(tmp_path, CSV, name="toy.csv")
    X, Y, label_names, feature_names = load_csv(path, 2)
    assert_array_equal(X, [[0.5, 1], [1.5, np.nan], [2.5, np.nan]])
    assert_array_equal(Y, [[1, 0], [0, 1], [1, 1]])
    assert label_names == ["rain", "wind"] and feature_names == ["x1", "x2"]
    _, Y, label_names, feature_names = load_csv(path, ["wind", "rain"])
    assert label_names == ["wind", "rain"] and feature_names == ["x1", "x2"]
    assert_array_equal(Y, [[0, 1], [1, 0], [1, 1]])


def test_csv_errors(tmp_path):
    path = _write(tmp_path, CSV, name="toy.csv")
    with pytest.raises(ValueError, match="label column 'x1' has values other than 0/1"):
        load_csv(path, ["wind", "x1"])
    with pytest.raises(ValueError, match="not in the header"):
        load_csv(path, ["snow"])
    with pytest.raises(ValueError, match="out of range"):
        load_csv(path, 4)
    with pytest.raises(ValueError, match="bad.csv, line 3: expected 4 cells, got 3"):
        load_csv(_write(tmp_path, "a,b,c,d\n1,2,0,1\n1,2,0\n", name="bad.csv"), 1)
    with pytest.raises(ValueError, match="not a number"):
        load_csv(_write(tmp_path, "a,b\nx,1\n", name="text.csv"), 1)


def test_libsvm(tmp_path):
    path = _write(tmp_path, "0,2 1:0.5 3:1\n1 2:1.5\n2 1:1\n", name="toy.svm")
    X, Y, label_names, feature_names = load_libsvm_multilabel(path, n_features=4)
    assert sparse.isspmatrix_csr(X) and X.shape == (3, 4)
    assert_array_equal(Y, [[1, 0, 1], [0, 1, 0], [0, 0, 1]])
    assert label_names == ["0", "1", "2"]
    assert feature_names == ["x0", "x1", "x2", "x3"]


def test_load_dataset_dispatch_and_errors(tmp_path):
    csv = _write(tmp_path, CSV, name="toy.csv")
    assert load_dataset(csv, n_labels=2).label_names == ["rain", "wind"]
    assert load_dataset(csv, label_columns=["rain"]).label_names == ["rain"]
    svm = _write(tmp_path, "0,2 1:0.5 3:1\n1 2:1.5\n", name="toy.libsvm")
    assert load_dataset(svm).Y.shape == (2, 3)
    arff = _write(tmp_path, TOY)
    assert load_dataset(arff, n_labels=2).label_names == ["rain", "wind"]
    with pytest.raises(ValueError, match="unknown dataset format"):
        load_dataset(_write(tmp_path, "", name="toy.parquet"))
    with pytest.raises(ValueError, match="pass label_columns or n_labels"):
        load_dataset(csv)
    with pytest.raises(ValueError, match="CSV files only"):
        load_dataset(arff, label_columns=["rain"])
    with pytest.raises(ValueError, match="n_labels does not apply"):
        load_dataset(svm, n_labels=2)


# ------------------------------------------------------ bad inputs: clear errors


def test_missing_values_become_nan_and_are_counted_in_a_warning(tmp_path):
    # Every cell one character wide: the old fixed-width string array was '<U1', so
    # 'nan' was cut to 'n' and the file refused ("'n' is not a number").
    path = _write(tmp_path, "a,b,y\n1,,0\n?,2,1\n", name="toy.csv")
    with pytest.warns(UserWarning, match=r"^toy.csv: 2 missing feature value"):
        X, Y, _, _ = load_csv(path, 1)
    assert_array_equal(X, [[1, np.nan], [np.nan, 2]])
    assert_array_equal(Y, [[0], [1]])
    with pytest.warns(UserWarning, match=r"^toy.arff: 1 missing feature value"):
        load_arff(_write(tmp_path, TOY), n_labels=2)


def test_csv_huge_token_fails_fast_in_bounded_memory(tmp_path):
    # 200 ordinary rows, then a 100 kB cell: the old reader built one '<U100000'
    # array of all 603 cells (240 MB) before failing, or parsed it to inf.
    text = "a,b,y\n" + "1,2,0\n" * 200 + "1" * 100_000 + ",2,0\n"
    path = _write(tmp_path, text, name="toy.csv")
    error, peak = _traced_peak(lambda: load_csv(path, 1))
    assert str(error) == (
        "toy.csv, line 202: a value of 100000 characters is too long to be a number"
    )
    assert peak < 2_000_000
    path.write_text('a,b,y\n"' + "1" * 200_000 + '",2,0\n')
    with pytest.raises(ValueError, match=r"^toy.csv, line 2: field larger than"):
        load_csv(path, 1)


@pytest.mark.parametrize("suffix", ["arff", "csv", "svm"])
def test_byte_order_mark_is_skipped(tmp_path, suffix):
    text = {"arff": TOY, "csv": CSV, "svm": "0,2 1:0.5 3:1\n1 2:1.5\n"}[suffix]
    path = tmp_path / f"toy.{suffix}"
    path.write_bytes(text.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the missing values
        expected = load_dataset(path, n_labels=None if suffix == "svm" else 2)
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        dataset = load_dataset(path, n_labels=None if suffix == "svm" else 2)
    assert_array_equal(_dense(dataset.X), _dense(expected.X))
    assert dataset.feature_names == expected.feature_names


@pytest.mark.parametrize(
    "suffix, data, message",
    [
        ("arff", ARFF_HEADER.replace("a numeric", "caf\xe9 numeric"), "line 2: byte 0xe9"),
        ("csv", "caf\xe9,y\n1,0\n", "line 1: byte 0xe9 is not UTF-8 text"),
        ("svm", "0 1:1\n0 1:caf\xe9\n", "line 2: the line is not UTF-8 text"),
    ],
)
def test_non_utf8_bytes_are_reported_by_file_and_line(tmp_path, suffix, data, message):
    # Before: a UnicodeDecodeError from the codec (ARFF, CSV) or sklearn's
    # "could not convert string to float: b'caf\xe9'" (LIBSVM), naming no file.
    path = tmp_path / f"toy.{suffix}"
    path.write_bytes((data + "@data\n1,0\n" * (suffix == "arff")).encode("latin-1"))
    with pytest.raises(ValueError, match=f"^toy.{suffix}, {message}") as info:
        load_dataset(path, n_labels=None if suffix == "svm" else 1)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "xml, message",
    [
        (b'<labels><label name="caf\xe9"/></labels>', "not a valid Mulan XML file"),
        (b"<labels><label/></labels>", "a <label> element has no name attribute"),
    ],
)
def test_bad_companion_xml(tmp_path, xml, message):
    # A nameless <label> used to be reported as labels "not the last 1 attributes".
    (tmp_path / "toy.xml").write_bytes(xml)
    path = _write(tmp_path, ARFF_HEADER + "@data\n1,0\n")
    with pytest.raises(ValueError, match=f"^toy.xml: {message}"):
        load_arff(path)


def test_duplicate_names_are_refused(tmp_path):
    # Both files used to load with feature_names ['a', 'a'].
    arff = "@relation r\n@attribute a numeric\n@attribute a numeric\n"
    path = _write(tmp_path, arff + "@attribute y {0,1}\n@data\n1,2,0\n")
    with pytest.raises(ValueError, match="^toy.arff, line 3: attribute 'a' is already"):
        load_arff(path, n_labels=1)
    path = _write(tmp_path, "a,a,y\n1,2,0\n", name="toy.csv")
    with pytest.raises(ValueError, match="^toy.csv, line 1: the name 'a' appears twice"):
        load_csv(path, 1)


def test_libsvm_huge_index_lists_no_feature_names(tmp_path):
    # Before: a list of 10**9 names "x0", ... (a minute, then MemoryError).
    path = _write(tmp_path, "0 1:1 1000000000:1\n", name="toy.svm")
    dataset = []
    error, peak = _traced_peak(lambda: dataset.append(load_libsvm_multilabel(path)))
    X, _, _, feature_names = dataset[0]
    assert error is None and peak < 5_000_000
    assert X.shape == (1, 10**9) and X.nnz == 2
    assert len(feature_names) == 10**9 and feature_names[-1] == "x999999999"
    assert feature_names[:2] == ["x0", "x1"] and feature_names[1] == "x1"


@pytest.mark.parametrize(
    "text, message",
    [
        ("0 1:1\n0 1:x\n", "line 2: value 'x' is not a number"),
        ("0 1:1\n0 -1:1\n", "line 2: '-1:1' is not index:value with an index >= 0"),
        ("0 2:1 1:1\n", "line 1: feature indices must be increasing and unique"),
        ("nan 1:1\n", "line 1: label 'nan' is not a finite number"),
        ("\x00\x13abc:\n", "line 1: '\\x00\\x13abc:' is not index:value with an index >= 0"),
        ("", "no data rows"),
    ],
)
def test_libsvm_errors_name_file_and_line(tmp_path, text, message):
    # Before: sklearn's messages without the file (or, for a NaN label, a column
    # named 'nan'; for an empty file, a dataset of 0 rows).
    with pytest.raises(ValueError) as info:
        load_libsvm_multilabel(_write(tmp_path, text, name="toy.svm"))
    assert str(info.value) == f"toy.svm{':' if text == '' else ','} {message}"


def test_csv_peak_memory_is_a_small_multiple_of_the_result(data_dir, tmp_path):
    # emotions as CSV: 17.9x the result before rows were streamed, 2.4x after.
    X, Y, label_names, feature_names = load_arff(data_dir / "emotions/emotions.arff")
    rows = [",".join(feature_names + label_names)]
    rows += [",".join(map(repr, x.tolist() + y.tolist())) for x, y in zip(X, Y)]
    path = _write(tmp_path, "\n".join(rows) + "\n", name="emotions.csv")
    dataset = []
    error, peak = _traced_peak(lambda: dataset.append(load_csv(path, 6)))
    assert error is None and peak < 3 * (X.nbytes + Y.nbytes)
    assert_array_equal(dataset[0].X, X)
