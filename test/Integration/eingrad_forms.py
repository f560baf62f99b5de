#!/usr/bin/python3
"""Every eingrad form of DESIGN.md on programs of contractions and
elementwise math, run through ein-run, against central finite differences
(float64) and closed forms:

  i,i%j->j  VJP          i%j,j->i  JVP          i%j->ij  Jacobian
  ,%j->j    gradient     j%k->jk   Hessian (ein.grad of a function using
                                   ein.grad)
  b%bj->bj  batched gradient       bi%bj,bj->bi  batched JVP

plus Jacobians with respect to matrices, forward-mode Jacobians, calls,
reshapes and slices, size-1 broadcasting, a label that cannot be proven separable, dynamic
shapes, and closed forms: d(Wx)/dx = W, Hessian of x.A.x = A + A^T,
d tanh(Wx)/dx = diag(1 - tanh^2) W.

Usage: eingrad_forms.py EIN_RUN
"""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fd_check import compare, jacobian_fd, run_entry  # noqa: E402

ein_run = sys.argv[1]
rng = np.random.default_rng(6)
T3, T4, T34 = "tensor<3xf64>", "tensor<4xf64>", "tensor<3x4xf64>"

MODULE = f"""
func.func private @f(%x: {T4}, %w: {T34}) -> {T3} {{
  %y = ein.contract "ij,j->i" %w, %x : {T34}, {T4} -> {T3}
  %t = math.tanh %y : {T3}
  return %t : {T3}
}}
func.func private @lin(%x: {T4}, %w: {T34}) -> {T3} {{
  %y = ein.contract "ij,j->i" %w, %x : {T34}, {T4} -> {T3}
  return %y : {T3}
}}
func.func private @fs(%x: {T4}, %w: {T34}) -> tensor<f64> {{
  %t = func.call @f(%x, %w) : ({T4}, {T34}) -> {T3}
  %s = ein.contract "i->" %t : {T3} -> tensor<f64>
  return %s : tensor<f64>
}}
func.func private @gs(%x: {T4}, %w: {T34}) -> {T4} {{
  %g = ein.grad ",%j->j" @fs(%x, %w) : ({T4}, {T34}) -> {T4}
  return %g : {T4}
}}
func.func private @quad(%x: {T4}, %a: tensor<4x4xf64>) -> tensor<f64> {{
  %q = ein.contract "i,ij,j->" %x, %a, %x
      : {T4}, tensor<4x4xf64>, {T4} -> tensor<f64>
  return %q : tensor<f64>
}}
func.func private @quadgrad(%x: {T4}, %a: tensor<4x4xf64>) -> {T4} {{
  %g = ein.grad ",%j->j" @quad(%x, %a) : ({T4}, tensor<4x4xf64>) -> {T4}
  return %g : {T4}
}}
func.func private @wide(%x: tensor<2xf64>, %w: tensor<5x2xf64>)
    -> tensor<5xf64> {{
  %y = ein.contract "ij,j->i" %w, %x
      : tensor<5x2xf64>, tensor<2xf64> -> tensor<5xf64>
  %e = math.exp %y : tensor<5xf64>
  %p = arith.mulf %e, %y : tensor<5xf64>
  return %p : tensor<5xf64>
}}
func.func private @batch(%x: tensor<5x4xf64>, %w: {T34}) -> tensor<5xf64> {{
  %y = ein.contract "ij,bj->bi" %w, %x
      : {T34}, tensor<5x4xf64> -> tensor<5x3xf64>
  %t = math.tanh %y : tensor<5x3xf64>
  %s = ein.contract "bi->b" %t : tensor<5x3xf64> -> tensor<5xf64>
  return %s : tensor<5xf64>
}}
func.func private @batch2(%x: tensor<5x4xf64>, %w: {T34})
    -> tensor<5x3xf64> {{
  %y = ein.contract "ij,bj->bi" %w, %x
      : {T34}, tensor<5x4xf64> -> tensor<5x3xf64>
  %t = math.tanh %y : tensor<5x3xf64>
  return %t : tensor<5x3xf64>
}}
func.func private @mixed(%x: tensor<5x4xf64>, %m: tensor<5x5xf64>)
    -> tensor<5xf64> {{
  %y = ein.contract "cj,bc->b" %x, %m
      : tensor<5x4xf64>, tensor<5x5xf64> -> tensor<5xf64>
  %t = math.tanh %y : tensor<5xf64>
  return %t : tensor<5xf64>
}}
func.func private @mlp(%x: {T4}, %w1: {T34}, %w2: tensor<2x3xf64>)
    -> tensor<f64> {{
  %a = ein.contract "ij,j->i" %w1, %x : {T34}, {T4} -> {T3}
  %h = math.tanh %a : {T3}
  %b = ein.contract "ki,i->k" %w2, %h : tensor<2x3xf64>, {T3} -> tensor<2xf64>
  %o = math.tanh %b : tensor<2xf64>
  %s = ein.contract "k->" %o : tensor<2xf64> -> tensor<f64>
  return %s : tensor<f64>
}}
func.func private @mlpgrad(%x: {T4}, %w1: {T34}, %w2: tensor<2x3xf64>)
    -> {T4} {{
  %g = ein.grad ",%j->j" @mlp(%x, %w1, %w2)
      : ({T4}, {T34}, tensor<2x3xf64>) -> {T4}
  return %g : {T4}
}}
func.func private @reshape(%x: tensor<6xf64>) -> tensor<12xf64> {{
  %e = tensor.expand_shape %x [[0, 1]] output_shape [2, 3]
      : tensor<6xf64> into tensor<2x3xf64>
  %s = tensor.extract_slice %e[0, 1] [2, 2] [1, 1]
      : tensor<2x3xf64> to tensor<2x2xf64>
  %z = tensor.empty() : {T34}
  %c0 = arith.constant 0.5 : f64
  %zf = linalg.fill ins(%c0 : f64) outs(%z : {T34}) -> {T34}
  %i = tensor.insert_slice %s into %zf[1, 1] [2, 2] [1, 1]
      : tensor<2x2xf64> into {T34}
  %c = tensor.collapse_shape %i [[0, 1]] : {T34} into tensor<12xf64>
  %m = arith.mulf %c, %c : tensor<12xf64>
  %t = math.sin %m : tensor<12xf64>
  return %t : tensor<12xf64>
}}
func.func private @dyn(%x: tensor<?xf64>, %w: tensor<?x?xf64>)
    -> tensor<?xf64> {{
  %y = ein.contract "ij,j->i" %w, %x
      : tensor<?x?xf64>, tensor<?xf64> -> tensor<?xf64>
  %t = math.tanh %y : tensor<?xf64>
  return %t : tensor<?xf64>
}}

func.func private @bcast(%x: tensor<1x4xf64>, %w: {T34}) -> {T34} {{
  %y = ein.contract "ij,ij->ij" %x, %w : tensor<1x4xf64>, {T34} -> {T34}
  %t = math.tanh %y : {T34}
  return %t : {T34}
}}
func.func @bcastvjp(%z: {T34}, %x: tensor<1x4xf64>, %w: {T34})
    -> tensor<1x4xf64> {{
  %g = ein.grad "ij,ij%kl->kl" %z, @bcast(%x, %w)
      : ({T34}, tensor<1x4xf64>, {T34}) -> tensor<1x4xf64>
  return %g : tensor<1x4xf64>
}}
func.func @vjp(%z: {T3}, %x: {T4}, %w: {T34}) -> {T4} {{
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : ({T3}, {T4}, {T34}) -> {T4}
  return %g : {T4}
}}
func.func @jvp(%x: {T4}, %w: {T34}, %v: {T4}) -> {T3} {{
  %g = ein.grad "i%j,j->i" @f(%x, %w), %v : ({T4}, {T34}, {T4}) -> {T3}
  return %g : {T3}
}}
func.func @jac(%x: {T4}, %w: {T34}) -> {T34} {{
  %j = ein.grad "i%j->ij" @f(%x, %w) : ({T4}, {T34}) -> {T34}
  return %j : {T34}
}}
func.func @jacw(%x: {T4}, %w: {T34}) -> tensor<3x3x4xf64> {{
  %j = ein.grad "i%jk->ijk" @f(%x, %w) wrt 1
      : ({T4}, {T34}) -> tensor<3x3x4xf64>
  return %j : tensor<3x3x4xf64>
}}
func.func @vjpw(%z: {T3}, %x: {T4}, %w: {T34}) -> {T34} {{
  %g = ein.grad "i,i%jk->jk" %z, @f(%x, %w) wrt 1
      : ({T3}, {T4}, {T34}) -> {T34}
  return %g : {T34}
}}
func.func @linjac(%x: {T4}, %w: {T34}) -> {T34} {{
  %j = ein.grad "i%j->ij" @lin(%x, %w) : ({T4}, {T34}) -> {T34}
  return %j : {T34}
}}
func.func @grad(%x: {T4}, %w: {T34}) -> {T4} {{
  %g = func.call @gs(%x, %w) : ({T4}, {T34}) -> {T4}
  return %g : {T4}
}}
func.func @hess(%x: {T4}, %w: {T34}) -> tensor<4x4xf64> {{
  %h = ein.grad "j%k->jk" @gs(%x, %w) : ({T4}, {T34}) -> tensor<4x4xf64>
  return %h : tensor<4x4xf64>
}}
func.func @hessquad(%x: {T4}, %a: tensor<4x4xf64>) -> tensor<4x4xf64> {{
  %h = ein.grad "j%k->jk" @quadgrad(%x, %a)
      : ({T4}, tensor<4x4xf64>) -> tensor<4x4xf64>
  return %h : tensor<4x4xf64>
}}
func.func @hessmlp(%x: {T4}, %w1: {T34}, %w2: tensor<2x3xf64>)
    -> tensor<4x4xf64> {{
  %h = ein.grad "j%k->jk" @mlpgrad(%x, %w1, %w2)
      : ({T4}, {T34}, tensor<2x3xf64>) -> tensor<4x4xf64>
  return %h : tensor<4x4xf64>
}}
func.func @jacwide(%x: tensor<2xf64>, %w: tensor<5x2xf64>) -> tensor<5x2xf64> {{
  %j = ein.grad "i%j->ij" @wide(%x, %w)
      : (tensor<2xf64>, tensor<5x2xf64>) -> tensor<5x2xf64>
  return %j : tensor<5x2xf64>
}}
func.func @batchgrad(%x: tensor<5x4xf64>, %w: {T34}) -> tensor<5x4xf64> {{
  %g = ein.grad "b%bj->bj" @batch(%x, %w)
      : (tensor<5x4xf64>, {T34}) -> tensor<5x4xf64>
  return %g : tensor<5x4xf64>
}}
func.func @batchjvp(%x: tensor<5x4xf64>, %w: {T34}, %v: tensor<5x4xf64>)
    -> tensor<5x3xf64> {{
  %g = ein.grad "bi%bj,bj->bi" @batch2(%x, %w), %v
      : (tensor<5x4xf64>, {T34}, tensor<5x4xf64>) -> tensor<5x3xf64>
  return %g : tensor<5x3xf64>
}}
func.func @mixedgrad(%x: tensor<5x4xf64>, %m: tensor<5x5xf64>)
    -> tensor<5x4xf64> {{
  %g = ein.grad "b%bj->bj" @mixed(%x, %m)
      : (tensor<5x4xf64>, tensor<5x5xf64>) -> tensor<5x4xf64>
  return %g : tensor<5x4xf64>
}}
func.func @reshapejac(%x: tensor<6xf64>) -> tensor<12x6xf64> {{
  %j = ein.grad "i%j->ij" @reshape(%x) : (tensor<6xf64>) -> tensor<12x6xf64>
  return %j : tensor<12x6xf64>
}}
func.func @reshapevjp(%z: tensor<12xf64>, %x: tensor<6xf64>) -> tensor<6xf64> {{
  %g = ein.grad "i,i%j->j" %z, @reshape(%x)
      : (tensor<12xf64>, tensor<6xf64>) -> tensor<6xf64>
  return %g : tensor<6xf64>
}}
func.func @dynvjp(%z: tensor<?xf64>, %x: tensor<?xf64>, %w: tensor<?x?xf64>)
    -> tensor<?xf64> {{
  %g = ein.grad "i,i%j->j" %z, @dyn(%x, %w)
      : (tensor<?xf64>, tensor<?xf64>, tensor<?x?xf64>) -> tensor<?xf64>
  return %g : tensor<?xf64>
}}
func.func @dynjac(%x: tensor<?xf64>, %w: tensor<?x?xf64>) -> tensor<?x?xf64> {{
  %j = ein.grad "i%j->ij" @dyn(%x, %w)
      : (tensor<?xf64>, tensor<?x?xf64>) -> tensor<?x?xf64>
  return %j : tensor<?x?xf64>
}}
"""


def f(x, w):
    return np.tanh(w @ x)


def grad_fs(x, w):
    t = np.tanh(w @ x)
    return w.T @ (1 - t * t)


def mlp(x, w1, w2):
    return np.sum(np.tanh(w2 @ np.tanh(w1 @ x)))


def grad_mlp(x, w1, w2):
    h = np.tanh(w1 @ x)
    o = np.tanh(w2 @ h)
    return w1.T @ ((1 - h * h) * (w2.T @ (1 - o * o)))


def wide(x, w):
    y = w @ x
    return np.exp(y) * y


def batch2(x, w):
    return np.tanh(x @ w.T)


def reshape(x):
    e = x.reshape(2, 3)
    i = np.full((3, 4), 0.5)
    i[1:3, 1:3] = e[0:2, 1:3]
    c = i.reshape(12)
    return np.sin(c * c)


x, w = rng.uniform(-1, 1, 4), rng.uniform(-1, 1, (3, 4))
z, v = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 4)
a = rng.uniform(-1, 1, (4, 4))
w2 = rng.uniform(-1, 1, (2, 3))
x2, w52 = rng.uniform(-1, 1, 2), rng.uniform(-1, 1, (5, 2))
xb, vb = rng.uniform(-1, 1, (5, 4)), rng.uniform(-1, 1, (5, 4))
m = rng.uniform(-1, 1, (5, 5))
x6, z12 = rng.uniform(-1, 1, 6), rng.uniform(-1, 1, 12)
x14, z34 = rng.uniform(-1, 1, (1, 4)), rng.uniform(-1, 1, (3, 4))
J = jacobian_fd(f, [x, w], 0)
Jw = jacobian_fd(f, [x, w], 1)
Jb = jacobian_fd(lambda x, w: np.sum(batch2(x, w), axis=1), [xb, w], 0)
Jb2 = jacobian_fd(batch2, [xb, w], 0)
Jm = jacobian_fd(lambda x, m: np.tanh(m @ np.sum(x, axis=1)), [xb, m], 0)
Jr = jacobian_fd(reshape, [x6], 0)

CASES = [
    ("vjp", [z, x, w], z @ J),
    ("jvp", [x, w, v], J @ v),
    ("jac", [x, w], J),
    ("jac", [x, w], (1 - f(x, w) ** 2)[:, None] * w),          # closed form
    ("jacw", [x, w], Jw),
    ("vjpw", [z, x, w], np.einsum("i,ijk->jk", z, Jw)),
    ("linjac", [x, w], w),                                       # closed form
    ("grad", [x, w], jacobian_fd(lambda x, w: np.sum(f(x, w)), [x, w], 0)),
    ("hess", [x, w], jacobian_fd(grad_fs, [x, w], 0)),
    ("hessquad", [x, a], a + a.T),                               # closed form
    ("hessmlp", [x, w, w2], jacobian_fd(grad_mlp, [x, w, w2], 0)),
    ("jacwide", [x2, w52], jacobian_fd(wide, [x2, w52], 0)),
    ("batchgrad", [xb, w], np.einsum("bbj->bj", Jb)),
    ("batchjvp", [xb, w, vb], np.einsum("bibj,bj->bi", Jb2, vb)),
    ("mixedgrad", [xb, m], np.einsum("bbj->bj", Jm)),
    ("reshapejac", [x6], Jr),
    ("reshapevjp", [z12, x6], z12 @ Jr),
    ("dynvjp", [z, x, w], z @ J),
    # size-1 broadcast: the cotangent is summed back over the broadcast axis
    ("bcastvjp", [z34, x14, w], jacobian_fd(
        lambda x, w: np.sum(np.tanh(x * w) * z34), [x14, w], 0)),
    ("dynjac", [x, w], J),
]

passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for entry, inputs, ref in CASES:
        outs, error = run_entry(ein_run, tmp, MODULE, entry, inputs)
        if error is None:
            error = compare(outs[0], ref)
        if error is None:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {entry}: {error}")
print(f"eingrad forms: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
