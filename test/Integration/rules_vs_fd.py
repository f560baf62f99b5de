#!/usr/bin/python3
"""The derivative rule of every supported elementwise op, checked through
ein-run against central finite differences (float64): for
f(x, W) = op(W x, W (x*x)) (unary ops take the first), the VJP
"i,i%j->j", the JVP "i%j,j->i" and the Hessian of sum(f) (nested ein.grad,
so rules are differentiated again).

Usage: rules_vs_fd.py EIN_RUN
"""
import math
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fd_check import compare, jacobian_fd, run_entry  # noqa: E402

ein_run = sys.argv[1]
rng = np.random.default_rng(7)
erf = np.vectorize(math.erf)
T3 = "tensor<3xf64>"

# name -> (MLIR lines computing %r from %a (and %b), NumPy function)
OPS = {
    "addf": (["%r = arith.addf %a, %b : T"], lambda a, b: a + b),
    "subf": (["%r = arith.subf %a, %b : T"], lambda a, b: a - b),
    "mulf": (["%r = arith.mulf %a, %b : T"], lambda a, b: a * b),
    "divf": (["%r = arith.divf %a, %b : T"], lambda a, b: a / b),
    "negf": (["%r = arith.negf %a : T"], lambda a, b: -a),
    "maximumf": (["%r = arith.maximumf %a, %b : T"], np.maximum),
    "minimumf": (["%r = arith.minimumf %a, %b : T"], np.minimum),
    "select": (["%c = arith.cmpf olt, %a, %b : T",
                "%r = arith.select %c, %a, %b : tensor<3xi1>, T"],
               lambda a, b: np.where(a < b, a, b)),
    "exp": (["%r = math.exp %a : T"], lambda a, b: np.exp(a)),
    "log": (["%r = math.log %b : T"], lambda a, b: np.log(b)),
    "log1p": (["%r = math.log1p %b : T"], lambda a, b: np.log1p(b)),
    "expm1": (["%r = math.expm1 %a : T"], lambda a, b: np.expm1(a)),
    "tanh": (["%r = math.tanh %a : T"], lambda a, b: np.tanh(a)),
    "sqrt": (["%r = math.sqrt %b : T"], lambda a, b: np.sqrt(b)),
    "rsqrt": (["%r = math.rsqrt %b : T"], lambda a, b: 1 / np.sqrt(b)),
    "sin": (["%r = math.sin %a : T"], lambda a, b: np.sin(a)),
    "cos": (["%r = math.cos %a : T"], lambda a, b: np.cos(a)),
    "absf": (["%r = math.absf %a : T"], lambda a, b: np.abs(a)),
    "powf": (["%e = arith.constant dense<2.5> : T",
              "%r = math.powf %b, %e : T"], lambda a, b: b ** 2.5),
    "erf": (["%r = math.erf %a : T"], lambda a, b: erf(a)),
}


def module(lines):
    body = "\n  ".join(line.replace(" T", " " + T3) for line in lines)
    return f"""
func.func private @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> {T3} {{
  %a = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> {T3}
  %xx = arith.mulf %x, %x : tensor<4xf64>
  %b = ein.contract "ij,j->i" %w, %xx : tensor<3x4xf64>, tensor<4xf64> -> {T3}
  {body}
  return %r : {T3}
}}
func.func private @s(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {{
  %r = func.call @f(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>) -> {T3}
  %s = ein.contract "i->" %r : {T3} -> tensor<f64>
  return %s : tensor<f64>
}}
func.func private @g(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<4xf64> {{
  %g = ein.grad ",%j->j" @s(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>)
      -> tensor<4xf64>
  return %g : tensor<4xf64>
}}
func.func @vjp(%z: {T3}, %x: tensor<4xf64>, %w: tensor<3x4xf64>)
    -> tensor<4xf64> {{
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w)
      : ({T3}, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}}
func.func @jvp(%x: tensor<4xf64>, %w: tensor<3x4xf64>, %v: tensor<4xf64>)
    -> {T3} {{
  %g = ein.grad "i%j,j->i" @f(%x, %w), %v
      : (tensor<4xf64>, tensor<3x4xf64>, tensor<4xf64>) -> {T3}
  return %g : {T3}
}}
func.func @hess(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<4x4xf64> {{
  %h = ein.grad "j%k->jk" @g(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>)
      -> tensor<4x4xf64>
  return %h : tensor<4x4xf64>
}}
"""


passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, (lines, op) in OPS.items():
        # Positive W and x keep log/sqrt/rsqrt/powf in their domains and
        # max/min/abs away from their kinks.
        x = rng.uniform(0.2, 1.0, 4)
        w = rng.uniform(0.2, 1.0, (3, 4)) * np.array([[1], [-1], [1]])
        z, v = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 4)
        if name in ("log", "log1p", "sqrt", "rsqrt", "powf"):
            w = np.abs(w)

        def f(x, w):
            return op(w @ x, w @ (x * x))

        def grad(x, w):
            return jacobian_fd(lambda x: np.sum(f(x, w)), [x], 0)

        jac = jacobian_fd(f, [x, w], 0)
        # Hessian: finite differences of the finite-difference gradient
        # (step 1e-4 for both). Its error is ~1e-8 absolute (rounding
        # eps/h^2) plus ~1e-8 relative (truncation h^2), hence rtol 1e-4
        # and atol 1e-6 for this one check (Hessians of linear ops are 0).
        hess = jacobian_fd(lambda x: jacobian_fd(
            lambda y: np.sum(f(y, w)), [x], 0, step=1e-4), [x], 0, step=1e-4)
        checks = [("vjp", [z, x, w], z @ jac, 1e-6, 0.0),
                  ("jvp", [x, w, v], jac @ v, 1e-6, 0.0),
                  ("hess", [x, w], hess, 1e-4, 1e-6)]
        for entry, inputs, ref, rtol, atol in checks:
            outs, error = run_entry(ein_run, tmp, module(lines), entry, inputs)
            if error is None:
                error = compare(outs[0], ref, rtol, atol)
            if error is None:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name} {entry}: {error}")
print(f"derivative rules vs finite differences: {passed} passed, "
      f"{failed} failed")
sys.exit(1 if failed else 0)
