"""eingrad, grad, jacobian, hessian against central finite differences:
every grads.json case, the eingrad table of DESIGN.md, nested derivatives."""
import numpy as np
import pytest

import ein
from conftest import assert_close, fd_jacobian, load

GRADS = load("grads.json")
RTOL = 1e-6


@pytest.mark.parametrize("case", GRADS, ids=[c["eq"] for c in GRADS])
def test_vjp_of_every_operand(case, rng):
    eq, shapes = case["eq"], case["shapes"]
    xs = [np.asarray(rng.uniform(-1, 1, tuple(s))) for s in shapes]
    out_labels = eq.split("->")[1]
    s = rng.uniform(-1, 1, np.einsum(eq, *xs).shape)
    f = lambda *a: ein.tanh(ein.einsum(eq, *a))  # noqa: E731
    y_labels = "".join(chr(ord("A") + i) for i in range(len(out_labels)))
    for k, x in enumerate(xs):
        x_labels = "abcdefgh"[:x.ndim]
        spec = f"{y_labels},{y_labels}%{x_labels}->{x_labels}"
        got = ein.eingrad(spec, s, f, tuple(xs), wrt=k)
        ref = fd_jacobian(lambda *a: np.sum(s * np.tanh(np.einsum(eq, *a))), xs, k)
        assert_close(got, ref, RTOL)


def test_design_table(rng):
    W = rng.uniform(-1, 1, (3, 4))
    x = rng.uniform(-1, 1, 4)
    z = rng.uniform(-1, 1, 3)
    v = rng.uniform(-1, 1, 4)

    def f(x, W):
        return ein.tanh(ein.einsum("ij,j->i", W, x))

    J = fd_jacobian(lambda x, W: np.tanh(W @ x), [x, W], 0)
    assert_close(ein.eingrad("i,i%j->j", z, f, (x, W)), z @ J, RTOL)
    assert_close(ein.eingrad("i%j,j->i", f, (x, W), v), J @ v, RTOL)
    assert_close(ein.eingrad("i%j->ij", f, (x, W)), J, RTOL)
    # With respect to W.
    JW = fd_jacobian(lambda x, W: np.tanh(W @ x), [x, W], 1)
    assert_close(ein.eingrad("i,i%ab->ab", z, f, (x, W), wrt=1),
                 np.einsum("i,iab->ab", z, JW), RTOL)

    def scalar(x):
        return ein.sum(ein.exp(x) * x)

    g = ein.eingrad(",%j->j", scalar, (x,))
    assert_close(g, np.exp(x) * (1 + x), RTOL)
    # Hessian: j%k->jk of the gradient function.
    H = ein.eingrad("j%k->jk", lambda x: ein.eingrad(",%j->j", scalar, (x,)), (x,))
    assert_close(H, np.diag(np.exp(x) * (2 + x)), RTOL)
    # Batched gradient and batched JVP.
    X = rng.uniform(-1, 1, (5, 4))
    V = rng.uniform(-1, 1, (5, 4))

    def rows(X):
        return ein.einsum("bj,bj->b", ein.sin(X), X)

    assert_close(ein.eingrad("b%bj->bj", rows, (X,)),
                 np.cos(X) * X + np.sin(X), RTOL)
    assert_close(ein.eingrad("b%bj,bj->b", rows, (X,), V),
                 np.sum((np.cos(X) * X + np.sin(X)) * V, axis=1), RTOL)


def test_jax_style(rng):
    A = rng.uniform(-1, 1, (4, 4))
    x = rng.uniform(-1, 1, 4)
    W = rng.uniform(-1, 1, (3, 4))

    def quad(x):
        return ein.einsum("i,ij,j->", x, A, x)

    assert_close(ein.grad(quad)(x), (A + A.T) @ x, RTOL)
    assert_close(ein.hessian(quad)(x), A + A.T, RTOL)

    def layer(x, W):
        return ein.tanh(ein.einsum("ij,j->i", W, x))

    assert_close(ein.jacobian(layer)(x, W),
                 fd_jacobian(lambda x, W: np.tanh(W @ x), [x, W], 0), RTOL)
    gx, gW = ein.grad(lambda x, W: ein.sum(layer(x, W) ** 2), argnums=(0, 1))(x, W)
    ref = lambda x, W: np.sum(np.tanh(W @ x) ** 2)  # noqa: E731
    assert_close(gx, fd_jacobian(ref, [x, W], 0), RTOL)
    assert_close(gW, fd_jacobian(ref, [x, W], 1), RTOL)


def test_function_with_eingrad_inside(rng):
    x = rng.uniform(0.5, 1.5, 3)

    @ein.function
    def newton_step(x):
        f = lambda x: ein.sum(ein.log(x) * x)  # noqa: E731
        g = ein.eingrad(",%j->j", f, (x,))
        return x - g / 2.0

    assert_close(newton_step(x), x - (np.log(x) + 1) / 2, 1e-12)


def test_float32_gradients(rng):
    x = rng.uniform(-1, 1, 5).astype(np.float32)
    g = ein.grad(lambda x: ein.sum(x * x * x))(x)
    assert g.dtype == np.float32
    assert_close(g, 3 * x.astype(np.float64) ** 2, 1e-5)


def test_all_52_labels():
    # A spec that uses every letter the text form has: forward, gradient
    # (ein's derivative specs then need no more than 52 labels either), and
    # one label too many is a precise error.
    import string
    lo, up = string.ascii_lowercase, string.ascii_uppercase
    rng = np.random.default_rng(0)
    x = rng.random([1] * 24 + [2, 2])
    y = rng.random([1] * 24 + [2, 2])
    f = lambda x, y: ein.einsum(lo + "," + up + "->", x, y)  # noqa: E731
    assert np.isclose(f(x, y), x.sum() * y.sum())
    assert np.allclose(ein.grad(f)(x, y), np.full(x.shape, y.sum()))
    with pytest.raises(ValueError, match=r"more than the 52 labels"):
        ein.jacobian(lambda v: v * 2.0)(np.ones([1] * 27))
