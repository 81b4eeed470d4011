"""The C formulas of the elementwise ops that have compiled paths.

One row per registry op: its value and the derivative of the value in each
input, as C expressions.  ``setup.py`` renders the Cython templates with this
table, so that every compiled path of an op is generated from its one row:
the fused tiles of ``dt.jit`` (``_fused.pyx.tp``), the large-array kernels
(``_kernels.pyx.tp``) and the small-array loops (``_small.pxi.tp``).  The
registry's Python formula stays the definition: ``tests/test_kernel_table.py``
checks every compiled path against it, values and derivatives, on special
values (nan, infinities, signed zeros, huge and tiny) as well as ordinary
ones.

Expressions see the inputs ``x`` (and ``y`` for binary rows), the scalar
parameter ``s`` (rows of arity ``"xs"``), and, in derivatives, the value
``z``.  ``{T}`` is the C type and ``{m}`` the libm suffix (``"f"`` for
float32); write constants as ``(<{T}>1)`` so that float32 rows compute in
float32, as numpy does.  A libm call of ``x`` alone (``exp{m}(x)``,
``exp{m}(-x)``) is computed a block at a time by the vectorised primitives
(``_vecmath.h``); other calls run per element.  Conditionals are Cython's
``a if c else b``.
"""
from typing import NamedTuple


class Formula(NamedTuple):
    """One op's C formulas (see the module docstring)."""

    name: str
    arity: str          # "x": unary, "xs": unary with a scalar parameter, "xy": binary
    value: str
    derivs: tuple       # d value / d input, one expression per array input
    cost: int = 1       # work units per element against the parallel threshold


def _mask(cond):
    return "((<{T}>1) if %s else (<{T}>0))" % cond


_ONE = "(<{T}>1)"

FORMULAS = [
    # -- unary
    Formula("negative", "x", "-x", ("-(<{T}>1)",)),
    Formula("square", "x", "x * x", ("x + x",)),
    # the derivative is numpy's sign(x): nan at nan
    Formula("abs", "x", "fabs{m}(x)", ("(x if x != x else " + _mask("x > 0") + " - "
                                       + _mask("x < 0") + ")",)),
    Formula("exp", "x", "exp{m}(x)", ("z",), cost=8),
    Formula("log", "x", "log{m}(x)", (_ONE + " / x",), cost=10),
    Formula("sqrt", "x", "sqrt{m}(x)", ("(<{T}>0.5) / z",), cost=5),
    # sin and cos of one argument in one body: GCC/Clang fuse them into sincos
    Formula("sin", "x", "sin{m}(x)", ("cos{m}(x)",), cost=12),
    Formula("cos", "x", "cos{m}(x)", ("-sin{m}(x)",), cost=12),
    Formula("tanh", "x", "tanh{m}(x)", (_ONE + " - z * z",), cost=18),
    Formula("sigmoid", "x", _ONE + " / (" + _ONE + " + exp{m}(-x))",
            ("z * (" + _ONE + " - z)",), cost=11),
    # numpy's maximum(x, 0): nan passes through, -0.0 gives +0.0
    Formula("relu", "x", "((<{T}>0) if x <= 0 else x)", (_mask("x > 0"),)),
    Formula("reciprocal", "x", _ONE + " / x", ("-z * z",)),
    Formula("rsqrt", "x", _ONE + " / sqrt{m}(x)", ("(<{T}>-0.5) * z * z * z",), cost=5),
    Formula("softsign", "x", "x / (" + _ONE + " + fabs{m}(x))",
            (_ONE + " / ((" + _ONE + " + fabs{m}(x)) * (" + _ONE + " + fabs{m}(x)))",)),
    Formula("mask_step", "x", _mask("x > 0"), ("(<{T}>0)",)),
    # numpy's sign: nan stays nan, both zeros give +0
    Formula("mask_sign", "x", "(x if x != x else " + _mask("x > 0") + " - " + _mask("x < 0")
            + ")", ("(<{T}>0)",)),
    # -- unary with a scalar parameter
    Formula("add_scalar", "xs", "x + s", (_ONE,)),
    Formula("sub_scalar", "xs", "x - s", (_ONE,)),
    Formula("rsub_scalar", "xs", "s - x", ("-(<{T}>1)",)),
    Formula("mul_scalar", "xs", "x * s", ("s",)),
    Formula("div_scalar", "xs", "x / s", (_ONE + " / s",)),
    Formula("rdiv_scalar", "xs", "s / x", ("-z / x",)),
    # numpy's power takes a scalar exponent of 0.5 as sqrt (nan at -inf, -0.0
    # at -0.0, where C's pow gives inf and +0.0); the inner parentheses keep
    # the per-element sqrt out of the vector primitives
    Formula("pow_scalar", "xs", "(sqrt{m}((x)) if s == (<{T}>0.5) else pow{m}(x, s))",
            ("s * pow{m}(x, s - " + _ONE + ")",), cost=20),
    Formula("mask_gt_scalar", "xs", _mask("x > s"), ("(<{T}>0)",)),
    Formula("mask_ge_scalar", "xs", _mask("x >= s"), ("(<{T}>0)",)),
    Formula("mask_lt_scalar", "xs", _mask("x < s"), ("(<{T}>0)",)),
    Formula("mask_le_scalar", "xs", _mask("x <= s"), ("(<{T}>0)",)),
    Formula("mask_eq_scalar", "xs", _mask("x == s"), ("(<{T}>0)",)),
    # -- binary
    Formula("add", "xy", "x + y", (_ONE, _ONE)),
    Formula("subtract", "xy", "x - y", (_ONE, "-(<{T}>1)")),
    Formula("multiply", "xy", "x * y", ("y", "x")),
    Formula("divide", "xy", "x / y", (_ONE + " / y", "-z / y")),
    # numpy's maximum/minimum: a nan in either input gives nan; of two equal
    # values (+0.0 and -0.0), y
    Formula("maximum", "xy", "(x if (x > y or x != x) else y)",
            (_mask("x >= y"), _mask("x < y"))),
    Formula("minimum", "xy", "(x if (x < y or x != x) else y)",
            (_mask("x <= y"), _mask("x > y"))),
    Formula("mask_gt", "xy", _mask("x > y"), ("(<{T}>0)", "(<{T}>0)")),
    Formula("mask_ge", "xy", _mask("x >= y"), ("(<{T}>0)", "(<{T}>0)")),
    Formula("mask_lt", "xy", _mask("x < y"), ("(<{T}>0)", "(<{T}>0)")),
    Formula("mask_le", "xy", _mask("x <= y"), ("(<{T}>0)", "(<{T}>0)")),
    Formula("mask_eq", "xy", _mask("x == y"), ("(<{T}>0)", "(<{T}>0)")),
]

#: name -> Formula
BY_NAME = {f.name: f for f in FORMULAS}

#: (suffix, C type, libm suffix, numpy dtype name) of the compiled dtypes
DTYPES = [("f64", "double", "", "float64"), ("f32", "float", "f", "float32")]

#: libm functions of ``x`` that the vectorised primitives compute a block at a
#: time (``expneg``: ``exp(-x)``)
PRIMITIVES = ("sin", "cos", "exp", "expneg", "log", "sqrt", "tanh")


def c_expr(expr, ctype, m):
    """``expr`` for the C type ``ctype`` with libm suffix ``m``."""
    return expr.replace("{T}", ctype).replace("{m}", m)


def c_syntax(expr):
    """``expr`` (Cython syntax) in C: casts ``<T>x`` as ``(T)x``, ``or`` and
    ``and`` as ``||`` and ``&&``, and each parenthesised conditional
    ``(a if c else b)`` as ``((c) ? (a) : (b))``."""
    import re
    expr = re.sub(r"<([A-Za-z_{}]+)>", r"(\1)", expr)
    expr = re.sub(r"\bor\b", "||", expr)
    expr = re.sub(r"\band\b", "&&", expr)

    def top_level(text, word):
        depth = 0
        for i in range(len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0 and text.startswith(word, i):
                return i
        return -1

    def convert(text):
        out, i = [], 0
        while i < len(text):
            if text[i] != "(":
                out.append(text[i])
                i += 1
                continue
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            inner = convert(text[i + 1:j])
            k = top_level(inner, " if ")
            if k >= 0:
                a, rest = inner[:k], inner[k + 4:]
                e = top_level(rest, " else ")
                inner = "(%s) ? (%s) : (%s)" % (rest[:e], a, rest[e + 6:])
            out.append("(" + inner + ")")
            i = j + 1
        return "".join(out)
    return convert(expr)


def vectorised(expr, m):
    """``(expr, primitives)``: each libm call of ``x`` (or ``-x``) in ``expr``
    replaced by the variable ``v_NAME`` that a primitive computes, and the
    sorted names of the primitives used."""
    import re
    used = set()

    def sub(mo):
        prim = mo.group(1) + ("neg" if mo.group(2) else "")
        used.add(prim)
        return "v_" + prim

    names = "|".join(p for p in PRIMITIVES if p != "expneg")
    out = re.sub(r"\b(%s)%s\((-?)x\)" % (names, m), sub, expr)
    return out, sorted(used)
