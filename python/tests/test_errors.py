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
    # Traced code (ein.function, ein.eingrad) checks optimize too.
    with pytest.raises(ValueError, match="optimize.*found 'fastest'"):
        ein.function(lambda x: ein.einsum("ij->", x, optimize="fastest"))(
            np.ones((2, 2)))
    with pytest.raises(ValueError, match="optimize.*found 'fastest'"):
        ein.eingrad(",%ij->ij", np.ones(()),
                    lambda x: ein.einsum("ij->", x, optimize="fastest"),
                    (np.ones((2, 2)),))


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


def test_buffer_limit():
    # The default is the machine's physical memory: a 40 GB intermediate is
    # refused before compiling, with MemoryError.
    assert ein.get_buffer_limit() == ein._ein.physical_memory() > 0
    big = np.ones(100000, np.float32)
    with pytest.raises(MemoryError, match="40000000000 bytes"):
        ein.einsum("i,j->ij", big, big)
    a, b, c = np.ones((20, 30)), np.ones((30, 40)), np.ones((40, 50))
    try:
        # The result, 20x50 f64 = 8000 bytes, is the largest step of the
        # path (opt_einsum's largest_intermediate counts it).
        ein.set_buffer_limit(7999)
        assert ein.get_buffer_limit() == 7999
        with pytest.raises(MemoryError, match="8000 bytes, more than the "
                           "buffer limit of 7999 bytes"):
            ein.einsum("ij,jk,kl->il", a, b, c)
        # Traced functions: the compiler's check (ein-check-buffers).
        outer = ein.function(lambda x, y: ein.einsum("i,j->ij", x, y))
        with pytest.raises(MemoryError, match="'tensor<100x100xf64>' needs "
                           "80000 bytes"):
            outer(np.ones(100), np.ones(100))
        # A transpose allocates its result only: 100x100 f64 fits 80000
        # bytes exactly.
        x = np.arange(10000.0).reshape(100, 100)
        ein.set_buffer_limit(80000)
        assert np.array_equal(ein.einsum("ij->ji", x), x.T)
        # Scratch buffers count too (the GEMM's packed panels, 256 rows of B
        # by 150 columns and more at every vector width; the 12000-byte
        # result fits): at run time they are a MemoryError, not a crash or
        # an exit.
        with pytest.raises(MemoryError, match="more than the buffer limit "
                           "of 80000 bytes"):
            ein.einsum("ij,jk->ik", np.ones((10, 1000)), np.ones((1000, 150)))
        with pytest.raises(TypeError, match="int or None"):
            ein.set_buffer_limit(1.5)
        with pytest.raises(ValueError, match="nbytes >= 1"):
            ein.set_buffer_limit(0)
    finally:
        ein.set_buffer_limit(None)
    assert ein.get_buffer_limit() == ein._ein.physical_memory()
    assert np.allclose(ein.einsum("ij,jk,kl->il", a, b, c), 1200.0)


# Run in a child process: before the fix the process died with SIGSEGV.
THREADED_LIMIT = r"""
import threading
import numpy as np
import ein
ein.set_num_threads(2)
a = np.arange(50000, dtype=np.float32).reshape(10, 5000) % 7
b = np.arange(1000000, dtype=np.float32).reshape(5000, 200) % 5
ein.set_buffer_limit(80000)
errors = []
def call():
    try:
        ein.einsum("ij,jk->ik", a, b)
    except MemoryError as e:
        errors.append(str(e))
call()
threads = [threading.Thread(target=call) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ein.set_buffer_limit(None)
assert np.array_equal(ein.einsum("ij,jk->ik", a, b), a @ b)
print(len(errors))
print(errors[0])
"""


def test_buffer_limit_in_parallel_region():
    # Found by hand: a GEMM large enough to run its row blocks on two
    # threads allocates its packed panels inside the OpenMP region, where
    # the error cannot unwind; the default handler's std::exit from two
    # workers at once crashed Python. Now the error is deferred to the end
    # of the call: MemoryError, also for two calls at once, and the next
    # call works.
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", THREADED_LIMIT],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, message = done.stdout.splitlines()
    assert count == "3"
    assert "more than the buffer limit of 80000 bytes" in message
    assert done.stderr == ""


def test_argnums_errors():
    # Found by hand: argnums out of range was an IndexError from a tuple,
    # a string argnums a ValueError from int().
    f = lambda x, y: ein.sum(x * y)  # noqa: E731
    x, y = np.ones(3), np.arange(3.0)
    with pytest.raises(ValueError, match="argnums 5 is out of range for a "
                       "call with 2 argument"):
        ein.grad(f, argnums=5)(x, y)
    with pytest.raises(TypeError, match="expected argnums to be an int or a "
                       "tuple of ints, found 'a'"):
        ein.grad(f, argnums="a")
    with pytest.raises(TypeError, match=r"found \(0, 1.5\)"):
        ein.jacobian(f, argnums=(0, 1.5))
    with pytest.raises(ValueError, match="at least one argument"):
        ein.grad(f, argnums=())
    assert np.allclose(ein.grad(f, argnums=-1)(x, y), x)
    gx, gy = ein.grad(f, argnums=(0, 1))(x, y)
    assert np.allclose(gx, y) and np.allclose(gy, x)
