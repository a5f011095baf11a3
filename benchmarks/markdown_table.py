"""Render ``skmultimlp benchmark --output FILE.json`` results as a Markdown table.

This is how the tables of ``docs/benchmarks.md`` are made, so that no figure is
typed by hand::

    python benchmarks/markdown_table.py /tmp/bench_emotions.json

prints one pipe table (rows sorted by F1 micro, mean ± std over the folds; the
score alone for a single train/test split), a line with the rank of ``mlp`` (and
``mlp_tuned``) on F1 micro, and how ``mlp`` fares fold by fold on F1 micro
against the estimator ranked above it and the two below (all estimators see the
same folds, so the per-fold differences are paired: they are less noisy than the
two means' standard deviations), then what threshold tuning changed for each
``NAME`` run next to ``NAME_tuned``.

Two more views over several files::

    python benchmarks/markdown_table.py --summary /tmp/cv_*.json
    python benchmarks/markdown_table.py --published /tmp/tt_*.json

``--summary``: one row per dataset, the ranks of ``mlp_tuned`` on F1 micro and
F1 macro and the lift of the tuner on ``rf`` and ``mo_lr``. ``--published``: the
``--protocol train-test`` results of ``mlp_tuned`` against the best and the
BP-NN figures of Bogatinovski et al. (2022), "Comprehensive comparative study of
multi-label classification methods", Expert Systems with Applications
(arXiv:2102.07113), test sets of their own splits.
"""

import argparse
import json

#: Bogatinovski et al. 2022 (arXiv:2102.07113), test-set results as quoted in issue 13:
#: best F1 micro and best F1 macro over their 26 methods, and their BP-NN's F1 micro.
PUBLISHED = {
    "emotions": (0.719, 0.698, 0.679),
    "yeast": (0.682, 0.483, 0.662),
    "scene": (0.792, 0.800, 0.720),
    "medical": (0.813, 0.400, 0.788),
    "bibtex": (0.457, 0.340, 0.356),
}

COLUMNS = (
    ("subset_accuracy", "Subset acc. ↑"),
    ("hamming_loss", "Hamming loss ↓"),
    ("f1_micro", "F1 micro ↑"),
    ("f1_macro", "F1 macro ↑"),
    ("f1_samples", "F1 samples ↑"),
    ("roc_auc_macro", "ROC AUC macro ↑"),
    ("fit_time", "Fit time (s)"),
    ("compile_time", "Compile (s)"),
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _cell(result, column, single):
    mean, std = result["mean"].get(column), result["std"].get(column)
    if mean is None:
        return "n/a"
    digits = 2 if column.endswith("_time") else 3
    return f"{mean:.{digits}f}" if single else f"{mean:.{digits}f} ± {std:.{digits}f}"


def _rank(results, name, metric):
    """1-based rank of ``name`` on ``metric`` (higher is better) among the estimators run."""
    ours = results[name]["mean"][metric]
    return 1 + sum((r["mean"][metric] or -1) > ours for r in results.values())


def _dataset(meta):
    """``'emotions-train+emotions-test'`` -> ``'emotions'``."""
    return meta["dataset"].split("+")[0].removesuffix("-train").removesuffix("-test")


def _lifts(results):
    """Lines: what tuning the thresholds changed for each NAME run with NAME_tuned."""
    lines = []
    for name in results:
        tuned = results.get(f"{name}_tuned")
        plain = results[name]["mean"]["f1_micro"]
        if tuned is None or plain is None or tuned["mean"]["f1_micro"] is None:
            continue
        parts = []
        for metric, title in (("f1_micro", "F1 micro"), ("f1_macro", "F1 macro"),
                              ("hamming_loss", "Hamming loss")):
            before, after = results[name]["mean"][metric], tuned["mean"][metric]
            parts.append(f"{title} {before:.3f} -> {after:.3f} ({after - before:+.3f})")
        lines.append(f"- `{name}` -> `{name}_tuned`: " + ", ".join(parts))
    return lines


def markdown(document):
    """The table, the rank lines and the tuner's lifts for one benchmark JSON document."""
    results = document["results"]
    single = document["metadata"]["n_splits"] * document["metadata"]["n_repeats"] == 1
    names = sorted(results, key=lambda name: -(results[name]["mean"]["f1_micro"] or -1))
    columns = [(key, title) for key, title in COLUMNS if key in results[names[0]]["mean"]]
    lines = [
        "| Estimator | " + " | ".join(title for _, title in columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for name in names:
        cells = [_cell(results[name], key, single) for key, _ in columns]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines.append("")
    if "mlp" in results:
        rank = names.index("mlp")
        word = ORDINALS[rank] if rank < len(ORDINALS) else f"number {rank + 1}"
        f1 = results["mlp"]["mean"]["f1_micro"]
        paired = "" if single else " " + _paired(results, names, rank)
        lines += [f"`mlp` (default settings) is **{word}** of {len(names)} "
                  f"on F1 micro ({f1:.3f}).{paired}", ""]
    if "mlp_tuned" in results and results["mlp_tuned"]["mean"]["f1_micro"] is not None:
        micro = _rank(results, "mlp_tuned", "f1_micro")
        macro = _rank(results, "mlp_tuned", "f1_macro")
        lines += [f"`mlp_tuned` is number **{micro}** of {len(names)} on F1 micro "
                  f"({results['mlp_tuned']['mean']['f1_micro']:.3f}) and number **{macro}** on "
                  f"F1 macro ({results['mlp_tuned']['mean']['f1_macro']:.3f}).", ""]
    lifts = _lifts(results)
    if lifts:
        lines += ["Threshold tuning (tuned minus untuned, mean over the folds):", "", *lifts]
    return "\n".join(lines).rstrip()


def summary(documents):
    """One row per dataset: the ranks of ``mlp_tuned`` and the tuner's lift on rf and mo_lr."""
    lines = [
        "| Dataset | folds | `mlp_tuned` F1 micro (rank) | best other F1 micro | "
        "`mlp_tuned` F1 macro (rank) | best other F1 macro | tuner lift F1 micro: `rf` / `mo_lr` |",
        "|---|---|---|---|---|---|---|",
    ]
    for document in documents:
        results, meta = document["results"], document["metadata"]
        incomplete = "" if meta.get("complete", True) else ", incomplete"
        cells = [_dataset(meta), meta["cv"] + incomplete]
        for metric in ("f1_micro", "f1_macro"):
            ours = results.get("mlp_tuned", {}).get("mean", {}).get(metric)
            if ours is None:
                cells += ["n/a", "n/a"]
                continue
            others = {n: r["mean"][metric] for n, r in results.items()
                      if n != "mlp_tuned" and r["mean"][metric] is not None}
            best = max(others, key=others.get)
            cells += [f"{ours:.3f} ({_rank(results, 'mlp_tuned', metric)} of {len(results)})",
                      f"`{best}` {others[best]:.3f}"]
        lift = []
        for name in ("rf", "mo_lr"):
            tuned = results.get(f"{name}_tuned", {}).get("mean", {}).get("f1_micro")
            plain = results.get(name, {}).get("mean", {}).get("f1_micro")
            lift.append("n/a" if tuned is None or plain is None else f"{tuned - plain:+.3f}")
        cells.append(" / ".join(lift))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def published(documents):
    """``mlp_tuned`` on the predefined splits against Bogatinovski et al. (2022)."""
    lines = [
        "| Dataset | `mlp` F1 micro | `mlp_tuned` F1 micro | published best F1 micro | "
        "difference | published BP-NN F1 micro | `mlp_tuned` F1 macro | "
        "published best F1 macro | difference |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for document in documents:
        results, name = document["results"], _dataset(document["metadata"])
        best_micro, best_macro, bpnn = PUBLISHED[name]
        plain = results.get("mlp", {}).get("mean", {}).get("f1_micro")
        micro = results.get("mlp_tuned", {}).get("mean", {}).get("f1_micro")
        macro = results.get("mlp_tuned", {}).get("mean", {}).get("f1_macro")
        if micro is None:
            lines.append(f"| {name} | n/a (not run) |" + " |" * 7)
            continue
        plain = "n/a" if plain is None else f"{plain:.3f}"
        lines.append(
            f"| {name} | {plain} | {micro:.3f} | {best_micro:.3f} | {micro - best_micro:+.3f} | "
            f"{bpnn:.3f} | {macro:.3f} | {best_macro:.3f} | {macro - best_macro:+.3f} |"
        )
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


def _merged(documents):
    """Runs of the same dataset and folds (estimators split over several runs) as one.

    The first run that has an estimator's results keeps them; the folds are the
    same because the dataset, the protocol and the seed are.
    """
    merged = {}
    for document in documents:
        meta = document["metadata"]
        key = (meta["dataset"], meta["cv"], meta["random_state"])
        if key not in merged:
            merged[key] = {"metadata": dict(meta), "results": dict(document["results"])}
            continue
        target = merged[key]
        for name, result in document["results"].items():
            if target["results"].get(name, {}).get("mean", {}).get("f1_micro") is None:
                target["results"][name] = result
        target["metadata"]["complete"] = (target["metadata"].get("complete", True)
                                          and meta.get("complete", True))
    for document in merged.values():  # an interrupted run completed by another
        scored = all(r["mean"].get("f1_micro") is not None for r in document["results"].values())
        document["metadata"]["complete"] = document["metadata"].get("complete", True) or scored
    return list(merged.values())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", help="files written by --output FILE.json")
    view = parser.add_mutually_exclusive_group()
    view.add_argument("--summary", action="store_true", help="one row per file (dataset)")
    view.add_argument("--published", action="store_true",
                      help="train-test results against Bogatinovski et al. (2022)")
    args = parser.parse_args(argv)
    documents = []
    for path in args.json:
        with open(path, encoding="utf-8") as file:
            documents.append(json.load(file))
    documents = _merged(documents)
    if args.summary or args.published:
        print((summary if args.summary else published)(documents))
        return
    for document in documents:
        meta = document["metadata"]
        complete = "" if meta.get("complete", True) else ", INCOMPLETE run"
        print(f"<!-- {meta['dataset']}: {meta['n_samples']} samples, "
              f"{meta['n_features']} features, {meta['n_labels']} labels, "
              f"{meta['cv']}, {meta['date']}{complete} -->")
        print(markdown(document), end="\n\n")


if __name__ == "__main__":
    main()
