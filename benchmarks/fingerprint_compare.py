"""Compare two fingerprint.py outputs: ``python benchmarks/fingerprint_compare.py A.json B.json``.

Prints, per fit, "identical" or "differs" (the keys that differ and, for float curves,
the max abs difference) and exits 1 if anything differs (2 on a usage error). The
header (paths, versions) and timings are shown but not compared, except the backend.
"""

import argparse
import json
import sys


def _as_float(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _max_abs_diff(a, b):
    """Max abs difference of two equally long lists of float reprs, else None."""
    if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b) or not a:
        return None
    fa, fb = [_as_float(x) for x in a], [_as_float(x) for x in b]
    if None in fa or None in fb:
        return None
    return max(abs(x - y) for x, y in zip(fa, fb))


def _diff(a, b, path=""):
    """List of human-readable differences between two JSON values."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            where = f"{path}.{key}" if path else key
            if key not in a:
                out.append(f"{where}: only in B")
            elif key not in b:
                out.append(f"{where}: only in A")
            else:
                out.extend(_diff(a[key], b[key], where))
        return out
    if isinstance(a, list) and isinstance(b, list) and a and isinstance(a[0], list):
        if len(a) == len(b):
            return [d for i, (x, y) in enumerate(zip(a, b)) for d in _diff(x, y, f"{path}[{i}]")]
    detail = ""
    m = _max_abs_diff(a, b)
    if m is not None:
        detail = f" (max abs diff {m:.3g})"
    elif isinstance(a, list) and isinstance(b, list) and len(a) != len(b):
        detail = f" (length {len(a)} vs {len(b)})"
    elif not isinstance(a, (list, dict)) and not isinstance(b, (list, dict)):
        sa, sb = str(a), str(b)
        if len(sa) < 80 and len(sb) < 80:
            detail = f" ({sa} vs {sb})"
    return [f"{path}{detail}"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="fingerprint JSON of the first tree")
    parser.add_argument("b", help="fingerprint JSON of the second tree")
    args = parser.parse_args(argv)
    with open(args.a) as fh:
        A = json.load(fh)
    with open(args.b) as fh:
        B = json.load(fh)
    ha, hb = A.get("header", {}), B.get("header", {})
    print(f"A: {args.a}: {ha.get('skmultimlp_file')} [{ha.get('keras_backend')}] {A.get('timing_s', {}).get('total')} s")
    print(f"B: {args.b}: {hb.get('skmultimlp_file')} [{hb.get('keras_backend')}] {B.get('timing_s', {}).get('total')} s")
    bad = 0
    if ha.get("keras_backend") != hb.get("keras_backend"):
        print(f"BACKENDS DIFFER: {ha.get('keras_backend')} vs {hb.get('keras_backend')}")
        bad += 1
    fa, fb = A.get("fits", {}), B.get("fits", {})
    for name in sorted(set(fa) | set(fb)):
        if name not in fa or name not in fb:
            print(f"{name:40s} MISSING in {'A' if name not in fa else 'B'}")
            bad += 1
            continue
        diffs = _diff(fa[name], fb[name])
        if not diffs:
            print(f"{name:40s} identical")
        else:
            bad += 1
            print(f"{name:40s} differs")
            for d in diffs:
                print(f"    {d}")
    n = len(set(fa) | set(fb))
    print(f"{bad} of {n} fits differ" if bad else f"all {n} fits identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
