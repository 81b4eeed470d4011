"""``dt.jit`` on the anchor workloads W1-W6: the transform traced once, then
replayed from its planned program (fused elementwise groups, an arena across
calls).  The eager rows of the same workloads are in ``bench_chain.py``,
``bench_hvp.py`` and friends; numpy's baselines beside them."""
from dualtape import bench as W

#: workload -> (data builder, parameters); one jitted row per workload
DATA = {
    "W1": (W.data_seed, [None]),
    "W2": (W.data_chain, [16, 1000, 100000, 1000000]),
    "W3": (W.data_chain, [16, 1000, 100000, 1000000]),
    "W4": (W.data_mlp, [None]),
    "W5": (W.data_jac, [(4, 1000), (1000, 4), (100, 100)]),
    "W6": (W.data_rosen, [16, 1000, 10000, 100000]),
}
_CASES = {w: rows[0][1] for w, rows in W.dt_jit_cases().items()}


class Jitted:
    """The jitted transform of each workload (after its first call traced it).

    Parameters
    ----------
    workload : str
        W1 seed gradient, W2 chain gradient, W3 chain JVP, W4 MLP gradient,
        W5 Jacobian (mode="auto"), W6 Rosenbrock HVP.
    param : str
        The workload's size (``repr`` of its parameter).
    """

    params = ([w for w in DATA], sorted({repr(p) for _, ps in DATA.values() for p in ps}))
    param_names = ["workload", "param"]
    timeout = 120

    def setup(self, workload, param):
        build, params = DATA[workload]
        match = [p for p in params if repr(p) == param]
        if not match:
            raise NotImplementedError("%s has no size %s" % (workload, param))
        p = match[0]
        self.step = _CASES[workload](p, build(p))
        self.step()                       # trace

    def time_replay(self, workload, param):
        """One call of the jitted function."""
        self.step()


class JittedMemory:
    """Peak memory of the jitted Rosenbrock HVP at n=100,000 (the arena and
    the program's constants, against the eager transform's temporaries)."""

    timeout = 120

    def setup(self):
        self.data = W.data_rosen(100_000)

    def peakmem_jit_hvp(self):
        """Trace, then 20 replays."""
        step = _CASES["W6"](100_000, self.data)
        for _ in range(20):
            step()

    def peakmem_eager_hvp(self):
        """The eager ``dualtape.hvp``, 21 calls."""
        step = W.dt_hvp(100_000, self.data)
        for _ in range(21):
            step()
