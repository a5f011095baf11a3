"""Render ``skmultimlp benchmark --output FILE.json`` results as a Markdown table.

This is how the tables of ``docs/benchmarks.md`` are made, so that no figure is
typed by hand::

    python benchmarks/markdown_table.py /tmp/bench_emotions.json

prints one pipe table (rows sorted by F1 micro, mean ± std over the folds), a
line with the rank of ``mlp`` on F1 micro, and how ``mlp`` fares fold by fold on
F1 micro against the estimator ranked above it and the two below (all estimators
see the same folds, so the per-fold differences are paired: they are less noisy
than the two means' standard deviations).
"""

import argparse
import json

COLUMNS = (
    ("subset_accuracy", "Subset acc. ↑"),
    ("hamming_loss", "Hamming loss ↓"),
    ("f1_micro", "F1 micro ↑"),
    ("f1_macro", "F1 macro ↑"),
    ("f1_samples", "F1 samples ↑"),
    ("roc_auc_macro", "ROC AUC macro ↑"),
    ("fit_time", "Fit time (s)"),
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _cell(result, column):
    mean, std = result["mean"].get(column), result["std"].get(column)
    if mean is None:
        return "n/a"
    digits = 2 if column.endswith("_time") else 3
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def markdown(document):
    """The table and the rank line for one benchmark JSON document."""
    results = document["results"]
    names = sorted(results, key=lambda name: -(results[name]["mean"]["f1_micro"] or -1))
    columns = [(key, title) for key, title in COLUMNS if key in results[names[0]]["mean"]]
    lines = [
        "| Estimator | " + " | ".join(title for _, title in columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for name in names:
        cells = [_cell(results[name], key) for key, _ in columns]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    if "mlp" in results:
        rank = names.index("mlp")
        word = ORDINALS[rank] if rank < len(ORDINALS) else f"number {rank + 1}"
        f1 = results["mlp"]["mean"]["f1_micro"]
        lines += ["", f"`mlp` (default settings) is **{word}** of {len(names)} "
                      f"on F1 micro ({f1:.3f}). {_paired(results, names, rank)}"]
    return "\n".join(lines)


def _paired(results, names, rank):
    """Fold-by-fold F1 micro of ``mlp`` against the one ranked above it and the two below."""
    ours = results["mlp"]["folds"]["f1_micro"]
    parts = []
    for rival in names[max(rank - 1, 0) : rank + 3]:
        if rival == "mlp":
            continue
        diff = [a - b for a, b in zip(ours, results[rival]["folds"]["f1_micro"])]
        wins = sum(d > 0 for d in diff)
        parts.append(f"against `{rival}` {sum(diff) / len(diff):+.3f} on average, "
                     f"higher on {wins} of {len(diff)} folds")
    return "Fold by fold (paired differences): " + "; ".join(parts) + "."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", help="files written by --output FILE.json")
    for path in parser.parse_args().json:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        meta = document["metadata"]
        print(f"<!-- {meta['dataset']}: {meta['n_samples']} samples, "
              f"{meta['n_features']} features, {meta['n_labels']} labels, "
              f"{meta['cv']}, {meta['date']} -->")
        print(markdown(document), end="\n\n")


if __name__ == "__main__":
    main()
