"""Which folds of a 10-fold cross-validation on emotions compile (docs/compilation.md).

For each fold: the training rows, the padded sizes that key the compile cache, the
number of functions added to this process's cache by the fit, and the fit time.
Run from the repository root: ``python benchmarks/compile_reuse.py`` (reads
``emotions/emotions.arff`` of ``$SKMULTIMLP_DATA``, else ``../shared/datasets``).
"""

import argparse
import time
import warnings

import numpy as np

from _common import add_data_option, load


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(parser)
    args = parser.parse_args(argv)

    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import StandardScaler

    from skmultimlp import MultiLabelMLPClassifier
    from skmultimlp._backend import compiled_keys
    from skmultimlp._arrays import padded_size, padded_validation_size

    warnings.simplefilter("ignore", ConvergenceWarning)
    X, Y = load("emotions", data=args.data)[:2]
    X = StandardScaler().fit_transform(X)
    for early in (True, False):
        clf = MultiLabelMLPClassifier(max_iter=20, early_stopping=early, random_state=0)
        for i, (train, _) in enumerate(KFold(10, shuffle=True, random_state=0).split(X)):
            n = len(train)
            n_val = int(np.ceil(0.1 * n)) if early else 0  # validation_fraction=0.1 (about: stratified)
            before, start = compiled_keys(), time.perf_counter()
            clone(clf).fit(X[train], Y[train])
            seconds = time.perf_counter() - start
            print(f"early_stopping={early} fold {i}: n_train={n} fit rows={n - n_val} "
                  f"padded={padded_size(n)} val rows={n_val} "
                  f"val padded={padded_validation_size(n_val) if early else '-'} "
                  f"new compilations={len(compiled_keys() - before)} fit {seconds:.2f} s")


if __name__ == "__main__":
    main()
