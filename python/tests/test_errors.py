"""Errors: bad specs and shapes raise ValueError with the library's
message, unsupported dtypes TypeError, unsupported traced operations
ValueError naming them; nothing crashes."""
import numpy as np
import pytest

import ein
from conftest import load

ERRORS = load("errors.json")


@pytest.mark.parametrize("case", ERRORS, ids=[c["eq"] for c in ERRORS])
def test_conformance_errors(case):
    shapes = case["shapes"] or [[2]] * (case["eq"].split("->")[0].count(",") + 1)
    arrays = [np.ones(s) for s in shapes]
    with pytest.raises(ValueError) as e:
        ein.einsum(case["eq"], *arrays)
    message = str(e.value)
    assert case["eq"].strip() in message or "label" in message or "operand" in message
    with pytest.raises(ValueError):
        ein.einsum_path(case["eq"], *[tuple(s) for s in shapes])


def test_messages_name_the_problem():
    with pytest.raises(ValueError, match=r"invalid einsum spec 'ij,jk>ik': unexpected '>' at column 6"):
        ein.einsum("ij,jk>ik", np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="label 'j'.*4.*5|label 'j'.*5.*4"):
        ein.einsum("ij,jk->ik", np.ones((3, 4)), np.ones((5, 2)))
    with pytest.raises(ValueError, match="operand"):
        ein.einsum("ij,jk->ik", np.ones((3, 4)))
    with pytest.raises(ValueError, match="optimize"):
        ein.einsum("ij->i", np.ones((2, 2)), optimize="fastest")
    with pytest.raises(ValueError, match="path"):
        ein.einsum("ij,jk->ik", np.ones((2, 2)), np.ones((2, 2)), optimize=[(0, 5)])
    with pytest.raises(ValueError, match="%"):
        ein.einsum("i,i%j->j", np.ones(2), np.ones(2))


def test_type_errors():
    with pytest.raises(TypeError, match="int64"):
        ein.einsum("ij->i", np.ones((2, 2), dtype=np.int64))
    with pytest.raises(TypeError, match="complex128"):
        ein.einsum("ij->i", np.ones((2, 2), dtype=np.complex128))
    with pytest.raises(TypeError, match="string"):
        ein.einsum(3, np.ones(2))
    with pytest.raises(TypeError, match="list"):
        ein.einsum("i->i", ["a", "b"])
    with pytest.raises(TypeError, match="object"):
        ein.einsum("i->i", object())
    with pytest.raises(TypeError, match="dtype"):
        ein.einsum("i->i", np.ones(2), dtype=np.int32)


def test_unsupported_traced_operations():
    @ein.function
    def indexing(x):
        return x[0]

    with pytest.raises(ValueError, match="__getitem__"):
        indexing(np.ones(3))

    @ein.function
    def arctan(x):
        return np.arctan(x)

    with pytest.raises(ValueError, match="arctan"):
        arctan(np.ones(3))

    @ein.function
    def branch(x):
        return x if ein.sum(x) else -x

    with pytest.raises(ValueError, match="truth value"):
        branch(np.ones(3))

    @ein.function
    def variable_power(x, y):
        return x ** y

    with pytest.raises(ValueError, match="exponent"):
        variable_power(np.ones(3), np.ones(3))


def test_eingrad_argument_errors():
    f = lambda x: ein.sum(x * x)  # noqa: E731
    x = np.ones(3)
    with pytest.raises(ValueError, match="operands"):
        ein.eingrad(",%j->j", f)
    with pytest.raises(TypeError, match="function"):
        ein.eingrad(",%j->j", x, (x,))
    with pytest.raises(TypeError, match="tuple"):
        ein.eingrad(",%j->j", f, x)
    with pytest.raises(ValueError, match="labels"):
        ein.eingrad(",%jk->jk", f, (x,))
    with pytest.raises(ValueError, match="one '%'|%"):
        ein.eingrad("j->j", f, (x,))
    with pytest.raises(ValueError, match="wrt"):
        ein.eingrad(",%j->j", f, (x,), wrt=3)
    with pytest.raises(ValueError, match="scalar"):
        ein.grad(lambda x: x * 2)(x)


def test_errors_leave_the_cache_usable():
    with pytest.raises(ValueError):
        ein.einsum("ij,jk->ik", np.ones((3, 4)), np.ones((5, 2)))
    out = ein.einsum("ij,jk->ik", np.ones((3, 4)), np.ones((4, 2)))
    assert np.allclose(out, 4.0)
