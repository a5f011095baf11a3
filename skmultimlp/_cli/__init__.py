"""The ``skmultimlp`` command line (``skmultimlp benchmark``); private.

``_main`` builds the parser and runs the command; ``_options`` turns option text
into values; ``_data`` loads ``--data``; ``_run`` runs the estimators one after the
other; ``_memory`` skips a fit too big for memory; ``_output`` writes ``--output``
and ``--plot``; ``_signals`` handles Ctrl-C and SIGTERM; ``_report`` formats the
table, the JSON or CSV file and the run's metadata; ``_plot`` draws the chart.
"""

from ._main import main

__all__ = ["main"]
