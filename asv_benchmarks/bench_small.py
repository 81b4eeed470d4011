"""Each small-array C loop (``_small.pxi``) beside the numpy path it
replaces, per op, dtype and size, so that ``dualtape.tuning.SMALL_LOOP_MAX``
stays true to the machine.  The ratio tracked is loop time / numpy-path time
for the op's value (< 1: the loop wins)."""
import timeit

import numpy as np

import dualtape  # noqa: F401  (binds the ops)
from dualtape import _engine, tuning
from dualtape.registry import REGISTRY

UNARY = [n for n in ("sin", "cos", "tanh", "exp", "square", "negative")
         if n in tuning.SMALL_LOOP_MAX]


def _best(f):
    return min(timeit.repeat(f, number=2000, repeat=5)) / 2000


class SmallLoopVsNumpy:
    """Loop time / numpy-path time for one unary op's value."""

    params = (UNARY, ["float32", "float64"], [16, 64, 256, 1024])
    param_names = ["op", "dtype", "n"]

    def setup(self, op, dtype, n):
        self.op = REGISTRY[op]
        self.x = _engine.wrap(np.random.default_rng(0).uniform(0.1, 1.0, n).astype(dtype))
        self.code = self.op.code

    def teardown(self, op, dtype, n):
        self.op.code = self.code

    def track_ratio(self, op, dtype, n):
        """Loop over numpy path (the loop runs whatever the size limit says)."""
        x = (self.x,)

        def f():
            return _engine.apply(self.op, x)
        limit = tuning.SMALL_LOOP_MAX[op]
        _engine.set_small_limits(dict(tuning.SMALL_LOOP_MAX, **{op: (n, n)}))
        try:
            loop = _best(f)
            self.op.code = 0
            numpy_path = _best(f)
        finally:
            self.op.code = self.code
            _engine.set_small_limits(dict(tuning.SMALL_LOOP_MAX, **{op: limit}))
        return loop / numpy_path

    track_ratio.unit = "loop/numpy"
