"""Sphinx configuration for the skmultimlp documentation.

Build (warning-free, HTML in docs/_build/html)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Examples in the pages are ``code-block`` directives, not executed. The gallery
(``examples/plot_*.py``, rendered into ``docs/auto_examples/``) is executed by
sphinx-gallery on the CPU with the installed Keras backend: all of it takes a few
minutes on 2 cores. ``python -m sphinx -D plot_gallery=0 ...`` renders it without
running it. Importing ``skmultimlp`` for autodoc does not import Keras.
"""

import os
import re
import sys
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

# Quiet TensorFlow in case anything imported during the build pulls it in.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import skmultimlp  # noqa: E402

project = "skmultimlp"
author = "skmultimlp developers"
copyright = "skmultimlp developers"
version = skmultimlp.__version__
release = skmultimlp.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Only plot_*.py run during the build; scaling_with_dask.py (worker processes)
    # is rendered without running.
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    # Written at the root of docs/ otherwise (an untracked file in the checkout).
    "write_computation_times": False,
}

# performance.md and benchmarks.md are MyST Markdown; "deflist" is for the
# (a)-(d) definition list of performance.md.
myst_enable_extensions = ["deflist"]

# autosummary is used for summary tables only; the pages are written by hand,
# so no stub files are generated.
autosummary_generate = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"inherited-members": False}

# Class pages list their methods explicitly in api.rst; numpydoc's own member
# tables would document them a second time.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = set()

nitpicky = False
# No intersphinx: the build runs without network access.

templates_path = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json"]
root_doc = "index"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

pygments_style = "sphinx"
html_theme = "pydata_sphinx_theme"
html_title = f"skmultimlp {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False


class CliHelp(SphinxDirective):
    """``.. cli-help::`` -- the current ``skmultimlp benchmark --help`` text.

    Rendered from the argument parser at build time, so the page never drifts
    from the command line.
    """

    has_content = False

    def run(self):
        from skmultimlp._cli._main import _build_parser

        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal width
        try:
            parser = _build_parser()
            action = next(
                a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"
            )
            text = action.choices["benchmark"].format_help()
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        return [block]


# A numpydoc type such as ``ndarray of shape (n_features_in_,)`` is plain reST,
# where a word ending in "_" is a hyperlink reference ("Unknown target name").
# scikit-learn writes ``(`n_features_in_`,)``; until every docstring here does,
# quote such words in the type part of ``name : type`` lines before numpydoc
# (priority 500) renders them.
_FIELD = re.compile(r"^(\s*[\w*, ]+ : )(.*)$")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![`\w])")


def _quote_fitted_names_in_types(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        match = _FIELD.match(line)
        if match:
            head, kind = match.groups()
            lines[i] = head + _TRAILING_UNDERSCORE.sub(r"``\1``", kind)


def setup(app):
    app.add_directive("cli-help", CliHelp)
    app.connect("autodoc-process-docstring", _quote_fitted_names_in_types, priority=400)
