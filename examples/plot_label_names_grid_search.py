"""
Label names through a Pipeline and a grid search
=================================================

The dataset loaders return the names of the label columns with ``Y``
(``label_names``, also ``target_names``). This example loads a CSV file, tunes a
``StandardScaler`` + :class:`~skmultimlp.MultiLabelMLPClassifier` pipeline with
:class:`~sklearn.model_selection.GridSearchCV`, and turns the search's predictions
back into named label sets with :func:`skmultimlp.label_sets`, which works for any
indicator matrix, whichever estimator or meta-estimator made it.
"""

# %%
# A labelled CSV file
# -------------------
# Any file works the same way; here one is written from the tutorial's synthetic
# data, with three named label columns after ten feature columns.
import tempfile
from pathlib import Path

import numpy as np
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmultimlp import MultiLabelMLPClassifier, label_indicator, label_sets
from skmultimlp.datasets import load_dataset, make_tutorial_dataset

X, Y = make_tutorial_dataset(n_samples=400, random_state=0)
folder = tempfile.TemporaryDirectory()
path = Path(folder.name) / "weather.csv"
header = ",".join([f"x{i}" for i in range(X.shape[1])] + ["rain", "sun", "wind"])
np.savetxt(path, np.hstack([X, Y]), delimiter=",", header=header, comments="", fmt="%g")

dataset = load_dataset(path, n_labels=3)
X, Y = dataset.X, dataset.Y
print(dataset.label_names, Y.dtype, Y.shape)

# %%
# A grid search over the pipeline
# -------------------------------
# ``Y`` is a uint8 indicator matrix; scikit-learn's scorers take it as it is.
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.25, random_state=0)
pipe = make_pipeline(StandardScaler(), MultiLabelMLPClassifier(max_iter=200, random_state=0))
grid = {
    "multilabelmlpclassifier__hidden_layer_sizes": [(16,), (64,)],
    "multilabelmlpclassifier__alpha": [1e-4, 1e-2],
}
search = GridSearchCV(pipe, grid, cv=3, scoring="f1_micro").fit(X_train, Y_train)
print("best:", search.best_params_, f"f1_micro {search.best_score_:.3f}")
print(f"subset accuracy on the test rows: {search.score(X_test, Y_test):.3f}")

# %%
# Predictions as label names
# --------------------------
# ``predict_label_sets`` is a method of the estimator, out of reach here: the search
# holds a pipeline, whose last step is the estimator. ``label_sets`` takes the
# predicted indicator matrix and the names of its columns. The estimator was fitted
# on an indicator matrix, so its ``classes_`` are the column indices ``[0, 1, 2]``;
# the names come from the loader:
predicted = search.predict(X_test[:5])
print(search.best_estimator_[-1].classes_)
for true, pred in zip(label_sets(Y_test[:5], dataset.label_names),
                      label_sets(predicted, dataset.label_names)):
    print(f"true {str(true):<26} predicted {pred}")

# %%
# Fitted on a pandas DataFrame whose columns are the label names, the estimator's
# ``classes_`` are those names, and ``label_sets(pred,
# search.best_estimator_[-1].classes_)`` needs nothing else:
import pandas as pd

search.fit(X_train, pd.DataFrame(Y_train, columns=dataset.label_names))
classes = search.best_estimator_[-1].classes_
print(classes)
print(label_sets(search.predict(X_test[:5]), classes))

# %%
# :func:`skmultimlp.label_indicator` goes the other way, from label sets to the
# uint8 matrix (and refuses a label that is not among the classes):
print(label_indicator([("rain", "wind"), (), ("sun",)], dataset.label_names))
folder.cleanup()
