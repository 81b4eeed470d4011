"""Each Cython kernel beside the numpy calls it replaces, per op, dtype, size
and mode (value; value and tangent; cotangent), so that a kernel that stops
paying on the machine that runs the benchmarks shows up.  The ratio tracked is
kernel time / numpy time (< 1: the kernel wins)."""
import timeit

import numpy as np

from dualtape import _kernels

#: numpy's value of each kernel's function, into ``out``.
VALUE = {
    "exp": lambda x, out: np.exp(x, out=out),
    "log": lambda x, out: np.log(x, out=out),
    "sqrt": lambda x, out: np.sqrt(x, out=out),
    "square": lambda x, out: np.square(x, out=out),
    "abs": lambda x, out: np.abs(x, out=out),
    "sin": lambda x, out: np.sin(x, out=out),
    "cos": lambda x, out: np.cos(x, out=out),
    "tanh": lambda x, out: np.tanh(x, out=out),
    "sigmoid": lambda x, out: np.divide(1.0, np.add(1.0, np.exp(np.negative(x, out=out),
                                                                 out=out), out=out), out=out),
    "relu": lambda x, out: np.maximum(x, 0, out=out),
}

#: numpy's derivative of each function from ``x`` and ``y = f(x)``.
DERIVATIVE = {
    "exp": lambda x, y: y,
    "log": lambda x, y: np.reciprocal(x),
    "sqrt": lambda x, y: np.divide(0.5, y),
    "square": lambda x, y: np.add(x, x),
    "abs": lambda x, y: np.sign(x),
    "sin": lambda x, y: np.cos(x),
    "cos": lambda x, y: np.negative(np.sin(x)),
    "tanh": lambda x, y: np.subtract(1.0, np.square(y)),
    "sigmoid": lambda x, y: np.multiply(y, np.subtract(1.0, y)),
    "relu": lambda x, y: np.greater(x, 0).astype(x.dtype),
}


def _best(f, n):
    number = max(1, int(2e6 // n))
    return min(timeit.repeat(f, number=number, repeat=5)) / number


class KernelVsNumpy:
    """Kernel time / numpy time for one op."""

    params = ([n for n in sorted(_kernels.KERNELS)], ["float32", "float64"],
              [1000, 100_000, 1_000_000], ["value", "jvp", "vjp"])
    param_names = ["op", "dtype", "n", "mode"]

    def setup(self, op, dtype, n, mode):
        rng = np.random.default_rng(0)
        self.x = rng.uniform(0.1, 2.0, n).astype(dtype)
        self.t = rng.standard_normal(n).astype(dtype)
        self.y = np.empty_like(self.x)
        _kernels.KERNELS[op][0](self.x, self.y)
        self.out = np.empty_like(self.x)
        self.tout = np.empty_like(self.x)

    def track_ratio(self, op, dtype, n, mode):
        """Kernel time over numpy time (best of 5)."""
        fwd, jvp, vjp = _kernels.KERNELS[op]
        x, t, y, out, tout = self.x, self.t, self.y, self.out, self.tout
        value, deriv = VALUE[op], DERIVATIVE[op]
        if mode == "value":
            pair = (lambda: fwd(x, out), lambda: value(x, out))
        elif mode == "jvp":
            pair = (lambda: jvp(x, t, out, tout),
                    lambda: np.multiply(t, deriv(x, value(x, out)), out=tout))
        else:
            pair = (lambda: vjp(x, y, t, tout), lambda: np.multiply(t, deriv(x, y), out=tout))
        return _best(pair[0], x.size) / _best(pair[1], x.size)

    track_ratio.unit = "kernel/numpy"


class FusedPrimitives:
    """In ``dt.jit``'s fused tiles, each vector primitive (``_vecmath.h``)
    against numpy's own inner loop of the ufunc: the data behind
    ``dualtape.tuning.FUSED_PRIMITIVES_FROM_NUMPY``.  The ratio tracked is
    our primitive's time / numpy's loop's time on the same jitted one-op
    program (< 1: ours is faster)."""

    params = (["exp", "log", "sqrt", "sin", "cos", "tanh"], ["float32", "float64"],
              [1000, 100_000])
    param_names = ["primitive", "dtype", "n"]

    def setup(self, primitive, dtype, n):
        import dualtape as dt
        from dualtape import _fused, nd, tuning
        self.fused, self.default = _fused, tuning.FUSED_PRIMITIVES_FROM_NUMPY
        x = nd.array(np.random.default_rng(0).uniform(0.1, 2.0, n), dtype=dtype)
        f = dt.jit(getattr(nd, primitive))
        f(x)
        self.run = lambda: f(x)

    def teardown(self, primitive, dtype, n):
        self.fused.use_numpy_loops(self.default)

    def track_ratio(self, primitive, dtype, n):
        """Our primitive's time over numpy's loop's (best of 5)."""
        self.fused.use_numpy_loops({})
        ours = _best(self.run, n)
        self.fused.use_numpy_loops({dtype: (primitive,)})
        theirs = _best(self.run, n)
        return ours / theirs

    track_ratio.unit = "ours/numpy"
