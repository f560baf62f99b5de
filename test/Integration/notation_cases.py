"""The rows of the notation table (DESIGN.md section 1, except `%`) as
einsum cases with a NumPy reference where numpy.einsum lacks the form
(groups, `_`, diagonal embedding). Shared by the ein-run integration test
and the Python package's tests."""
import numpy as np


def embed(x, out_labels, in_labels):
    """Diagonal embedding: out[...] = x[...] where repeated labels agree."""
    sizes = dict(zip(in_labels, x.shape))
    out = np.zeros([sizes[l] for l in out_labels])
    it = np.nditer(out, flags=["multi_index"], op_flags=["writeonly"])
    for _ in it:
        idx = dict()
        ok = True
        for l, i in zip(out_labels, it.multi_index):
            if idx.setdefault(l, i) != i:
                ok = False
        if ok:
            out[it.multi_index] = x[tuple(idx[l] for l in in_labels)]
    return out


# (spec, shapes, reference function of float64 inputs)
NOTATION = [
    ("ij,jk->ik", [[3, 4], [4, 5]], None),
    ("ij,jk", [[3, 4], [4, 5]], None),
    (",ij->ij", [[], [3, 4]], None),
    ("->", [[]], None),
    ("ii->i", [[4, 4]], None),
    ("ii->", [[4, 4]], None),
    ("ijji->", [[2, 3, 3, 2]], None),
    ("i->ii", [[3]], lambda x: np.diag(x)),
    ("ij->jiji", [[2, 3]], lambda x: embed(x, "jiji", "ij")),
    ("...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 6]], None),
    ("bij,(ij)k->bk", [[8, 2, 3], [6, 5]],
     lambda x, w: np.einsum("bij,ijk->bk", x, w.reshape(2, 3, 5))),
    ("bij->b(ij)", [[4, 2, 3]], lambda x: x.reshape(4, 6)),
    ("ij,jk->_i_k_", [[3, 4], [4, 5]],
     lambda a, b: (a @ b).reshape(1, 3, 1, 5, 1)),
    ("_i->i", [[1, 3]], lambda x: x.reshape(3)),
    ("bij, bjk -> bik", [[2, 3, 4], [2, 4, 5]], None),
    ("ij,ij->j", [[10, 2], [1, 2]], None),
    ("i,j->ij", [[3], [4]], None),
    ("ab,cd->", [[2, 3], [4, 5]], None),
    ("bij,bjk,bkl->bil", [[2, 3, 4], [2, 4, 5], [2, 5, 6]], None),
]
