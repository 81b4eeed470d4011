"""Where dualtape chooses between code paths by array size and kind: every
threshold and kernel choice, in one place.

The values were measured on the machine that builds and tests dualtape (an
AMD EPYC, AVX2, numpy 2.4) with ``asv_benchmarks/bench_kernels.py`` (each
Cython kernel against the numpy calls it replaces) and
``asv_benchmarks/bench_small.py`` (each small-array C loop against the numpy
path); re-measure there before changing one.  A path is used only where it
beat the one it replaces.
"""

#: Per op with a small-array C loop (``_small.pxi``), the most elements
#: (float64, float32) up to which the loop beats numpy's call.  Transcendental
#: loops call scalar libm per element, so numpy's SIMD loops (and the
#: kernels) overtake them after a few dozen to a few hundred elements;
#: arithmetic loops stay ahead up to the size where numpy's call cost stops
#: mattering.
SMALL_LOOP_MAX = {
    "add_scalar": (1024, 1024), "sub_scalar": (1024, 1024), "rsub_scalar": (1024, 1024),
    "mul_scalar": (1024, 1024), "negative": (1024, 1024), "square": (1024, 1024),
    "add": (1024, 1024), "subtract": (1024, 1024), "multiply": (1024, 1024),
    "sum": (1024, 1024),
    "sin": (128, 512), "cos": (128, 512), "tanh": (32, 32), "exp": (64, 128),
}

#: Elements from which a Cython kernel is considered at all (below it
#: numpy's call is cheaper than the kernel's set-up).
KERNEL_MIN_SIZE = 256

#: For each kernel (``_kernels.KERNELS``) and mode, the dtypes where it beats
#: numpy: ``value`` against numpy's ufunc, ``jvp`` (value and tangent in one
#: pass) against the ufunc plus the tangent product, ``vjp`` against the
#: derivative times the cotangent.  Elsewhere numpy's own (SIMD) loops run.
KERNEL_WINS = {
    "sin": {"value": ("float32", "float64"), "jvp": ("float32", "float64"),
            "vjp": ("float32", "float64")},
    "cos": {"value": ("float32", "float64"), "jvp": ("float32", "float64"),
            "vjp": ("float32", "float64")},
    "sigmoid": {"value": ("float32", "float64"), "jvp": ("float32", "float64"),
                "vjp": ("float32", "float64")},
    "relu": {"value": ("float32", "float64"), "jvp": ("float32", "float64"),
             "vjp": ("float32", "float64")},
    "sqrt": {"value": ("float32", "float64"), "jvp": ("float32", "float64"),
             "vjp": ("float32", "float64")},
    "tanh": {"value": (), "jvp": ("float64",), "vjp": ("float32", "float64")},
    "exp": {"value": ("float32",), "jvp": (), "vjp": ()},
    "log": {"value": (), "jvp": (), "vjp": ("float32", "float64")},
    "square": {"value": (), "jvp": ("float32", "float64"), "vjp": ("float32", "float64")},
    "abs": {"value": (), "jvp": ("float32", "float64"), "vjp": ("float32", "float64")},
}

#: The vector primitives of ``dt.jit``'s fused tiles (``_fused``) that run
#: numpy's own inner loop of the ufunc rather than ours (``_vecmath.h``):
#: per dtype, where numpy's loop is the faster on a tile (measured with
#: ``asv_benchmarks/bench_kernels.py``'s ``FusedPrimitives``).
FUSED_PRIMITIVES_FROM_NUMPY = {"float64": ("exp", "log", "tanh"), "float32": ("tanh",)}
