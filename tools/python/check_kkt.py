#!/usr/bin/env python3
"""Rebuild the implicit Jacobian of a `diffop export-kkt --jacobian` file from its per-stage KKT blocks and
compare it with the exported one.

    python3 tools/python/check_kkt.py EXPORT.json [--tol 1e-8]

Reads the format `diffop-kkt/1` exactly as docs/kkt-export.md defines it, assembles the dense KKT system

    [[D, A^T], [A, 0]] [dzeta; -dlambda] = -[B; C]

(columns: theta, then x_init), solves it with numpy, and prints the largest absolute and relative difference
from the exported `jacobian`. Relative means: divided by the largest |entry| of the exported Jacobian (1 if that
is 0). Exit status: 0 when the relative difference is at most --tol, 1 when it is larger, 2 when the file cannot
be checked (missing fields, wrong shapes, no `jacobian`, a singular KKT matrix). Needs only numpy.
"""
import argparse
import json
import sys

try:
    import numpy as np
except ImportError:  # the C# tests look for this message
    print("error: numpy is not installed for this python; on Debian run ./build.sh setup "
          "(installs python3-numpy) or apt-get install python3-numpy", file=sys.stderr)
    sys.exit(2)

FORMAT = "diffop-kkt/1"
DEFAULT_TOLERANCE = 1e-8


class ExportError(Exception):
    """The file is not a checkable export."""


def matrix(value, rows, cols, what):
    m = np.array(value, dtype=float).reshape(-1, cols) if cols > 0 else np.zeros((rows, 0))
    if m.shape != (rows, cols):
        raise ExportError(f"{what} has shape {m.shape}, expected ({rows}, {cols})")
    return m


def vector(value, length, what):
    v = np.array(value, dtype=float).reshape(-1)
    if v.shape != (length,):
        raise ExportError(f"{what} has {v.size} entries, expected {length}")
    return v


def assemble(doc):
    """The dense KKT matrix K and right-hand side R = -[B; C] with d + n columns (theta, then x_init)."""
    if doc.get("format") != FORMAT:
        raise ExportError(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
    H, n, m, d = (int(doc[k]) for k in ("horizon", "state_count", "control_count", "parameter_count"))
    w = n + m
    N = H * w + n                                   # zeta = (x0, u0, x1, u1, ..., u_{H-1}, x_H)
    cols = d + n
    stages = doc["stages"]
    if len(stages) != H:
        raise ExportError(f"stages has {len(stages)} entries, expected H = {H}")
    terminal = doc["terminal"]

    D = np.zeros((N, N))
    B = np.zeros((N, cols))
    A_rows, C_rows = [], []                          # constraint rows over zeta, and their C over (theta, x_init)

    def row(coefficients, offset, width, c_theta, c_xinit=None):
        a = np.zeros(N)
        a[offset:offset + width] = coefficients
        c = np.zeros(cols)
        c[:d] = c_theta
        if c_xinit is not None:
            c[d:] = c_xinit
        A_rows.append(a)
        C_rows.append(c)

    # Initial-state rows kappa = x0 - x_init: A = [I 0] on z_0, C = 0 for theta and -I for x_init.
    for i in range(n):
        e = np.zeros(n)
        e[i] = 1.0
        row(e, 0, n, np.zeros(d), -e)

    for t, s in enumerate(stages):
        z = t * w
        D[z:z + w, z:z + w] = matrix(s["D"], w, w, f"stages[{t}].D")
        B[z:z + w, :d] = matrix(s["B"], w, d, f"stages[{t}].B")
        F = matrix(s["F"], n, w, f"stages[{t}].F")
        F_theta = matrix(s["F_theta"], n, d, f"stages[{t}].F_theta")
        for k, r in enumerate(s["active_rows"]):
            row(vector(r["a"], w, f"stages[{t}].active_rows[{k}].a"), z, w,
                vector(r["c"], d, f"stages[{t}].active_rows[{k}].c"))
        # Dynamics rows kappa_t = x_{t+1} - f(x_t, u_t): A = [-F on z_t, I on x_{t+1}], C = -F_theta.
        for i in range(n):
            a = np.zeros(N)
            a[z:z + w] = -F[i]
            a[z + w + i] = 1.0
            c = np.zeros(cols)
            c[:d] = -F_theta[i]
            A_rows.append(a)
            C_rows.append(c)

    zH = H * w
    D[zH:, zH:] = matrix(terminal["D"], n, n, "terminal.D")
    B[zH:, :d] = matrix(terminal["B"], n, d, "terminal.B")
    for k, r in enumerate(terminal["active_rows"]):
        row(vector(r["a"], n, f"terminal.active_rows[{k}].a"), zH, n, vector(r["c"], d, f"terminal.active_rows[{k}].c"))

    A = np.array(A_rows)
    C = np.array(C_rows)
    p = A.shape[0]
    K = np.block([[D, A.T], [A, np.zeros((p, p))]])
    R = -np.vstack([B, C])
    return K, R, N, cols


def check_rows_against_active_set(doc):
    """Every active constraint has one active row at its stage; weakly active ones are not among them."""
    H = int(doc["horizon"])
    expected = [0] * (H + 1)
    for a in doc.get("active_set", []):
        expected[int(a["stage"])] += 1
    found = [len(s["active_rows"]) for s in doc["stages"]] + [len(doc["terminal"]["active_rows"])]
    if expected != found:
        raise ExportError(f"active rows per stage {found} do not match active_set {expected}")
    active = {(a["kind"], a["stage"], a["index"]) for a in doc.get("active_set", [])}
    for a in doc.get("weakly_active", []):
        if (a["kind"], a["stage"], a["index"]) in active:
            raise ExportError(f"weakly active {a['kind']} stage {a['stage']} index {a['index']} is also in active_set")


def check(doc):
    """(max absolute difference, max relative difference, scale) between the rebuilt and the exported Jacobian."""
    if doc.get("jacobian") is None:
        raise ExportError("the file has no 'jacobian': export it with `diffop export-kkt ... --jacobian`")
    check_rows_against_active_set(doc)
    K, R, N, cols = assemble(doc)
    exported = matrix(doc["jacobian"], N, cols, "jacobian")
    try:
        solution = np.linalg.solve(K, R)
    except np.linalg.LinAlgError as e:
        raise ExportError(f"the KKT matrix is singular: {e}") from e
    rebuilt = solution[:N]                          # [dzeta; -dlambda]: the first N rows are dzeta
    abs_err = float(np.max(np.abs(rebuilt - exported))) if exported.size else 0.0
    scale = float(np.max(np.abs(exported))) if exported.size else 0.0
    scale = scale if scale > 0 else 1.0
    return abs_err, abs_err / scale, scale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="a file written by `diffop export-kkt ... --jacobian`")
    parser.add_argument("--tol", type=float, default=DEFAULT_TOLERANCE,
                        help=f"largest accepted relative difference (default {DEFAULT_TOLERANCE:g})")
    args = parser.parse_args(argv)
    try:
        with open(args.export, encoding="utf-8") as f:
            doc = json.load(f)
        abs_err, rel_err, scale = check(doc)
    except (OSError, ValueError, KeyError, TypeError, ExportError) as e:
        print(f"error: {args.export}: cannot check: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    ok = rel_err <= args.tol
    print(f"{doc['problem']}: H = {doc['horizon']}, {len(doc.get('active_set', []))} active, "
          f"{len(doc.get('weakly_active', []))} weakly active, singular D_t at {doc.get('singular_stages', [])}")
    print(f"max abs error {abs_err:.3e}, max rel error {rel_err:.3e} (scale {scale:.3e}, tolerance {args.tol:g}): "
          f"{'PASSED' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
