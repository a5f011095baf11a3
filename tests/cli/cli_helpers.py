"""Helpers shared by the command-line tests (imported by name: pytest puts tests/ on the path)."""

from skmultimlp.__main__ import main


def run(args, capsys):
    """main(args) -> (exit status, stdout, stderr)."""
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def table_rows(out):
    """The rows of the results table (after its title line, before the legend)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("estimator "))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(line)
    return rows
