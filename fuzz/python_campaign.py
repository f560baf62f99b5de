"""A random-spec campaign against the Python package's entry points.

Generates einsum calls -- valid specs with consistent shapes, and broken
ones (mutated specs, wrong sizes, wrong ranks, wrong argument types, odd
dtypes, bad options) -- and checks each against numpy.einsum:

- both succeed: the values agree (rtol 1e-4 for float32, 1e-10 for float64);
- numpy fails: ein raises ValueError or TypeError too (or succeeds when the
  spec uses ein's own notation);
- ein raises: a ValueError, TypeError or MemoryError with a one-line
  message -- never another exception, never a crash.

The calls run in a child process that records each case before running it;
if the child dies (a signal, an abort), the parent prints the case and
fails. Every failing case belongs in fuzz/corpus/python/ (one JSON file
each), which python/tests/test_fuzz_regressions.py replays.

usage: python_campaign.py [--seconds S] [--seed N]   (PYTHONPATH: ein)
       python_campaign.py --replay CASE.json
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np

LETTERS = "abcdefghij"


def random_spec(rng):
    """A valid numpy-style spec (sometimes with ..., repeats, no ->)."""
    n = rng.randint(1, 4)
    labels = LETTERS[:rng.randint(1, 6)]
    terms = ["".join(rng.choice(labels) for _ in range(rng.randint(0, 4)))
             for _ in range(n)]
    ellipsis = rng.random() < 0.15
    if ellipsis:
        terms = [(t[:1] + "..." + t[1:]) if rng.random() < 0.7 else t
                 for t in terms]
    used = sorted(set("".join(terms)) - set("."))
    if rng.random() < 0.2:
        return ",".join(terms)  # implicit output
    out = [c for c in used if rng.random() < 0.5]
    rng.shuffle(out)
    out = "".join(out)
    if ellipsis and any("..." in t for t in terms) and rng.random() < 0.7:
        out = "..." + out
    return ",".join(terms) + "->" + out


def mutate(rng, spec):
    """A small text mutation (often invalid)."""
    chars = list(spec)
    for _ in range(rng.randint(1, 3)):
        op = rng.randint(0, 3)
        pos = rng.randint(0, len(chars))
        junk = rng.choice(["-", ">", ",", ".", "%", "(", ")", "_", " ", "A",
                           "1", "é", "\x00", "->", "...", "z"])
        if op == 0 or not chars:
            chars.insert(pos, junk)
        elif op == 1:
            del chars[min(pos, len(chars) - 1)]
        else:
            chars[min(pos, len(chars) - 1)] = junk
    return "".join(chars)


def shapes_for(rng, spec):
    """Operand shapes consistent with `spec` (numpy's rules), or None."""
    if "->" in spec:
        inputs = spec.split("->")[0]
    else:
        inputs = spec
    sizes = {c: rng.randint(0, 4) if rng.random() < 0.05 else
             rng.randint(1, 4) for c in LETTERS}
    ell = [rng.randint(1, 3) for _ in range(rng.randint(0, 2))]
    shapes = []
    for term in inputs.split(","):
        shape = []
        parts = term.split("...")
        for k, part in enumerate(parts):
            shape.extend(sizes.get(c, 1) for c in part)
            if k + 1 < len(parts):
                shape.extend(ell)
        shapes.append(shape)
    return shapes


def make_case(rng):
    spec = random_spec(rng)
    shapes = shapes_for(rng, spec)
    dtype = rng.choice(["float64", "float32", "float32", "float64", "int32",
                        "complex128", "float16", "bool"])
    case = {"spec": spec, "shapes": shapes, "dtype": dtype,
            "entry": rng.choice(["einsum", "einsum", "einsum", "einsum_path",
                                 "compile", "function", "eingrad"]),
            "optimize": rng.choice(["auto", True, False, "greedy", "optimal",
                                    "dp", "none", "bogus"])}
    r = rng.random()
    if r < 0.15:
        case["spec"] = mutate(rng, spec)
        case["mutated"] = True
    elif r < 0.25 and shapes:
        case["resized"] = True
        i = rng.randrange(len(shapes))
        if shapes[i] and rng.random() < 0.5:
            shapes[i][rng.randrange(len(shapes[i]))] += rng.randint(1, 3)
        else:
            shapes[i] = shapes[i] + [2]
    elif r < 0.30:
        case["extra_operand"] = True
    elif r < 0.35:
        case["odd_argument"] = rng.choice(["none", "string", "list",
                                           "nested", "object"])
    return case


def build_operands(case):
    rng = np.random.default_rng(len(json.dumps(case)))
    ops = []
    for shape in case["shapes"]:
        x = rng.uniform(-1, 1, shape)
        if case["dtype"] == "complex128":
            x = x + 1j * rng.uniform(-1, 1, shape)
        ops.append(x.astype(case["dtype"]))
    if case.get("extra_operand"):
        ops.append(np.ones(2))
    odd = case.get("odd_argument")
    if odd and ops:
        ops[0] = {"none": None, "string": "abc", "list": [[1.0, 2.0], [3.0]],
                  "nested": [[[1.0]]], "object": object()}[odd]
    return ops


def run_ein(ein, case, ops):
    entry, spec, opt = case["entry"], case["spec"], case["optimize"]
    if entry == "einsum":
        return ein.einsum(spec, *ops, optimize=opt)
    if entry == "einsum_path":
        path, _ = ein.einsum_path(spec, *ops, optimize=opt)
        return path
    if entry == "compile":
        return ein.compile(spec, *ops, optimize=opt)(*ops)
    if entry == "eingrad":
        z = cotangent(case, ops)
        out, x = GRAD_LABELS[:np.ndim(z)], GRAD_LABELS[np.ndim(z):][:np.ndim(ops[0])]
        return ein.eingrad(f"{out},{out}%{x}->{x}", z,
                           lambda *xs: ein.einsum(spec, *xs, optimize=opt),
                           tuple(ops))
    f = ein.function(lambda *xs: ein.einsum(spec, *xs), optimize=opt)
    return f(*ops)


GRAD_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def cotangent(case, ops):
    """A cotangent shaped like the result (numpy's, when numpy can say)."""
    try:
        with np.errstate(all="ignore"):
            # optimize=True: numpy's path parser, which sums '...'
            # dimensions missing from the output as ein does.
            shape = np.shape(np.einsum(case["spec"], *ops, optimize=True))
    except Exception:  # noqa: BLE001
        shape = ()
    return np.random.default_rng(5).uniform(-1, 1, shape)


def vjp_reference(case, ops):
    """The VJP with respect to operand 0: a contraction is linear in each
    operand, so row k of the Jacobian is the result for the k-th unit
    operand (exact up to rounding)."""
    z = cotangent(case, ops)
    x = np.asarray(ops[0], dtype=np.float64)
    grad = np.zeros(x.size)
    for k in range(x.size):
        unit = np.zeros(x.size)
        unit[k] = 1.0
        y = np.einsum(case["spec"], unit.reshape(x.shape),
                      *[np.asarray(o, np.float64) for o in ops[1:]],
                      optimize=True)
        grad[k] = np.sum(z * y)
    return grad.reshape(x.shape)




def deliberate_difference(case):
    """Cases where ein refuses what numpy accepts, on purpose (docs/Notation.md)."""
    spec = case["spec"]
    # numpy reads "" as one scalar operand; ein asks for "->" (an empty
    # string is far more often a mistake).
    if spec.strip() == "":
        return True
    # ein.function's optimize applies to every contraction it traces: an
    # explicit path (which belongs to one contraction) is refused.
    return case["entry"] == "function" and \
        isinstance(case["optimize"], (list, tuple))


def check_case(ein, case):
    """None if the case behaves, else a description of what went wrong."""
    ops = build_operands(case)
    try:
        with np.errstate(all="ignore"):
            expected = np.einsum(case["spec"], *ops,
                                 optimize=case["optimize"] not in (False, "none"))
            # A VJP's reference unless an operand is complex (the first
            # may be a nested list of floats; ein rejects other dtypes).
            if case["entry"] == "eingrad" and \
                    not any(np.iscomplexobj(o) for o in ops):
                expected = vjp_reference(case, ops)
        numpy_error = None
    except Exception as e:  # noqa: BLE001 - numpy's own errors vary
        expected, numpy_error = None, e
    try:
        got = run_ein(ein, case, ops)
    except (ValueError, TypeError, MemoryError) as e:
        text = str(e)
        if not text or "\n" in text:
            return f"{type(e).__name__} message is not one line: {text!r}"
        # Only clean calls must succeed where numpy does: broken ones may
        # meet numpy's leniencies (a spec cut at a NUL byte, size-1
        # dimensions stretched to another size) that ein refuses.
        clean = not any(case.get(k) for k in ("mutated", "resized",
                                               "extra_operand",
                                               "odd_argument"))
        if numpy_error is None and clean \
                and case["dtype"] in ("float32", "float64") \
                and case["optimize"] != "bogus" \
                and not deliberate_difference(case):
            return (f"ein raised {type(e).__name__}: {text} where numpy "
                    "succeeded")
        return None
    except Exception as e:  # noqa: BLE001
        return f"ein raised {type(e).__name__}: {e}"
    if numpy_error is not None:
        # ein accepting an operand numpy cannot use (None, a string, an
        # object) or a bogus optimize value is a bug; accepting a spec
        # numpy rejects is ein's wider notation (docs/Notation.md: groups,
        # '_', '%', summed '...' dimensions).
        if case.get("odd_argument") in ("none", "string", "object") or \
                case["optimize"] == "bogus":
            return f"ein accepted what numpy rejects: {numpy_error}"
        return None
    if case["entry"] == "einsum_path":
        return None
    got = np.asarray(got)
    if got.shape != np.shape(expected):
        return f"shape {got.shape}, numpy {np.shape(expected)}"
    rtol = 1e-4 if case["dtype"] == "float32" else 1e-10
    scale = max(1.0, float(np.max(np.abs(expected))) if np.size(expected) else 1.0)
    if np.size(got) and np.max(np.abs(got - expected)) > rtol * scale * 10:
        return "values differ from numpy.einsum"
    return None


def child(args):
    import ein
    rng = random.Random(args.seed)
    deadline = time.time() + args.seconds
    count = 0
    while time.time() < deadline:
        case = make_case(rng)
        with open(args.current, "w") as f:
            json.dump(case, f)
        problem = check_case(ein, case)
        if problem:
            print(json.dumps({"case": case, "problem": problem}), flush=True)
            return 1
        count += 1
    print(f"python campaign: {count} cases, no failure", flush=True)
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--child", action="store_true")
    p.add_argument("--current", default="")
    p.add_argument("--replay", default="")
    args = p.parse_args()
    if args.replay:
        import ein
        with open(args.replay) as f:
            problem = check_case(ein, json.load(f))
        print(problem or "ok")
        return 1 if problem else 0
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory() as tmp:
        current = os.path.join(tmp, "current.json")
        proc = subprocess.run(
            [sys.executable, __file__, "--child", "--seconds",
             str(args.seconds), "--seed", str(args.seed), "--current",
             current], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode == 0:
            return 0
        if proc.returncode < 0 or not proc.stdout.strip():
            with open(current) as f:
                case = f.read()
            sys.stderr.write(proc.stderr[-4000:])
            print(f"python campaign: the child died (exit {proc.returncode}) "
                  f"on {case}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
