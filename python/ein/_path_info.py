"""opt_einsum-style path information (`ein.einsum_path`)."""


class PathInfo:
    """What `ein.einsum_path` returns with the path, named like
    opt_einsum's `PathInfo`: `opt_cost`, `naive_cost`, `speedup`,
    `largest_intermediate`, `scale_list`, `size_list`, `contraction_list`
    (einsum text of each step), `eq`, `shapes`, `path`."""

    def __init__(self, eq, shapes, plan):
        self.eq = eq
        self.shapes = [tuple(s) for s in shapes]
        self.path = [tuple(p) for p in plan["path"]]
        self.opt_cost = _integral(plan["flops"])
        self.naive_cost = _integral(plan["naive_flops"])
        self.largest_intermediate = _integral(plan["largest_intermediate"])
        steps = plan["steps"]
        self.contraction_list = [s["eq"] for s in steps]
        self.scale_list = [s["scale"] for s in steps]
        self.size_list = [_integral(s["size"]) for s in steps]
        self.flops_list = [_integral(s["flops"]) for s in steps]
        self._remaining = [s["remaining"] for s in steps]

    @property
    def speedup(self):
        return self.naive_cost / max(self.opt_cost, 1)

    def __repr__(self):
        return (f"PathInfo(eq={self.eq!r}, path={self.path}, "
                f"opt_cost={self.opt_cost}, naive_cost={self.naive_cost})")

    def __str__(self):
        naive_scale = len({c for c in self.eq if c.isalpha()})
        lines = [
            f"  Complete contraction:  {self.eq}",
            f"         Naive scaling:  {naive_scale}",
            f"     Optimized scaling:  {max(self.scale_list, default=0)}",
            f"      Naive FLOP count:  {self.naive_cost:.3e}",
            f"  Optimized FLOP count:  {self.opt_cost:.3e}",
            f"   Theoretical speedup:  {self.speedup:.3f}",
            f"  Largest intermediate:  {self.largest_intermediate:.3e} elements",
            "-" * 80,
            f"{'scaling':>7}  {'FLOPs':>12}  {'current':<28}  remaining",
            "-" * 80,
        ]
        for scale, flops, eq, rest in zip(self.scale_list, self.flops_list,
                                          self.contraction_list,
                                          self._remaining):
            lines.append(f"{scale:>7}  {flops:>12.3e}  {eq:<28}  {rest}")
        return "\n".join(lines)


def _integral(x):
    return int(x) if float(x).is_integer() and abs(x) < 2**63 else x
