"""Bad input raises the right exception with a message naming the problem, and
leaves every existing array and gradient as it was."""
import contextlib

import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd


@contextlib.contextmanager
def unchanged(*arrays):
    """Assert that the values, shapes, dtypes, gradients and grad_reqs of
    ``arrays`` are the same after the block as before it."""
    def state(a):
        g = a.grad
        return (a.detach().asnumpy(), a.dtype, a.grad_req,
                None if g is None else (g.asnumpy(), id(g)))

    before = [state(a) for a in arrays]
    yield
    for a, (data, dtype, req, grad) in zip(arrays, before):
        assert a.dtype is dtype
        assert a.grad_req == req
        np.testing.assert_array_equal(a.detach().asnumpy(), data)
        assert a.shape == data.shape
        g = a.grad
        if grad is None:
            assert g is None
        else:
            assert g is not None and id(g) == grad[1]
            np.testing.assert_array_equal(g.asnumpy(), grad[0])


def fresh_var(values, grad_value=None, req="write"):
    x = nd.array(values)
    x.attach_grad(req)
    if grad_value is not None:
        x.grad[:] = grad_value
    return x


@pytest.fixture(autouse=True)
def _flags_are_clean():
    yield
    leaked = (autograd.is_recording(), autograd.is_training())
    autograd.set_recording(False)
    autograd.set_training(False)
    assert leaked == (False, False)


# ------------------------------------------------------------------ backward ---

def test_backward_on_array_not_computed_under_record():
    x = fresh_var([1.0, 2.0], grad_value=7)
    y = x * 2
    with unchanged(x, y):
        with pytest.raises(RuntimeError, match=r"autograd\.record\(\)"):
            y.backward()
    plain = nd.array([1.0, 2.0])
    with unchanged(x, plain):
        with pytest.raises(RuntimeError, match=r"autograd\.record\(\)"):
            plain.backward()
        with pytest.raises(RuntimeError, match=r"autograd\.record\(\)"):
            autograd.backward([plain])


def test_backward_on_a_leaf_without_recording():
    x = fresh_var([1.0, 2.0], grad_value=3)
    with autograd.record():
        y = x * x
    y.backward()
    g = x.grad.asnumpy()
    z = x * 3                                   # outside record
    with unchanged(x):
        with pytest.raises(RuntimeError, match="record"):
            z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), g)


def test_head_gradient_of_wrong_shape():
    x = fresh_var([1.0, 2.0, 3.0], grad_value=5)
    with autograd.record():
        y = x * x
    with unchanged(x, y):
        with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)|\(3,\).*\(2,\)"):
            y.backward(nd.ones(2))
        with pytest.raises(ValueError, match=r"\(3, 1\).*\(3,\)|\(3,\).*\(3, 1\)"):
            autograd.backward([y], [nd.ones((3, 1))])
        with pytest.raises(ValueError, match=r"\(1,\).*\(3,\)|\(3,\).*\(1,\)"):
            autograd.grad(y, x, head_grads=nd.ones(1))
    # the failed calls consumed nothing: the graph is still usable
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2.0, 4.0, 6.0])


def test_head_gradient_count_mismatch():
    x = fresh_var([1.0], grad_value=1)
    with autograd.record():
        y = x * x
    with unchanged(x):
        with pytest.raises(ValueError, match="head"):
            autograd.backward([y], [nd.ones(1), nd.ones(1)])


def test_invalid_grad_req():
    x = fresh_var([1.0, 2.0], grad_value=4, req="add")
    with unchanged(x):
        with pytest.raises(ValueError, match="write.*add.*null"):
            x.attach_grad("sometimes")
    plain = nd.array([1.0])
    with unchanged(plain):
        with pytest.raises(ValueError, match="write.*add.*null"):
            plain.attach_grad(grad_req="bogus")


def test_invalid_grad_req_in_mark_variables_marks_nothing():
    a = fresh_var([1.0], grad_value=2)
    b = nd.array([3.0])
    ga, gb = nd.full((1,), 9.0), nd.full((1,), 8.0)
    with unchanged(a, b, ga, gb):
        with pytest.raises(ValueError, match="write.*add.*null"):
            autograd.mark_variables([a, b], [ga, gb], ["write", "bogus"])


def test_mark_variables_shape_mismatch():
    a = fresh_var([1.0, 2.0], grad_value=2)
    g = nd.zeros(3)
    with unchanged(a, g):
        with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
            autograd.mark_variables([a], [g])


def test_all_null_backward_raises():
    a = fresh_var([1.0], req="null")
    with autograd.record():
        y = a * 2
    with unchanged(a):
        with pytest.raises(RuntimeError, match="require"):
            y.backward()


def test_second_backward_without_retain_graph():
    x = fresh_var([1.0, 2.0])
    with autograd.record():
        y = x * x
    y.backward()
    with unchanged(x):
        with pytest.raises(RuntimeError, match="retain_graph=True"):
            y.backward()


def test_grad_of_a_variable_not_on_the_tape():
    x = fresh_var([1.0], grad_value=3)
    other = nd.array([1.0])
    with autograd.record():
        y = x * 2
    with unchanged(x, other):
        with pytest.raises(ValueError, match="attach_grad"):
            autograd.grad(y, [other])


def test_custom_function_backward_of_wrong_shape():
    class Bad(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return nd.ones(5)

    x = fresh_var([1.0, 2.0], grad_value=6)
    with autograd.record():
        y = Bad()(x)
    with unchanged(x):
        with pytest.raises(ValueError, match=r"\(5,\).*\(2,\)"):
            y.backward()


# ---------------------------------------------------------------- shapes ---

@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**", "maximum", "==", "where"])
def test_shapes_that_do_not_broadcast(op):
    a = fresh_var(np.ones((2, 3)), grad_value=1)
    b = nd.ones((2,))
    f = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
         "/": lambda: a / b, "**": lambda: a ** b, "maximum": lambda: nd.maximum(a, b),
         "==": lambda: a == b, "where": lambda: nd.where(a, a, b)}[op]
    with unchanged(a, b):
        with pytest.raises(ValueError, match=r"\(2, 3\).*\(2,\)"):
            f()
        with autograd.record():
            with pytest.raises(ValueError, match="broadcast"):
                f()


def test_inplace_add_that_does_not_broadcast():
    a = nd.ones((2,))
    b = nd.ones((3,))
    with unchanged(a, b):
        with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
            a += b


def test_dot_with_mismatched_inner_dimensions():
    a = fresh_var(np.ones((2, 3)), grad_value=1)
    b = nd.ones((2, 3))
    with unchanged(a, b):
        with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 3\)"):
            nd.dot(a, b)
        with pytest.raises(ValueError, match="align"):
            nd.dot(nd.ones(3), nd.ones(4))
        with pytest.raises(ValueError, match="align"):
            nd.dot(a, b, transpose_a=True, transpose_b=True)
        with pytest.raises(ValueError, match="align"):
            nd.batch_dot(nd.ones((2, 3, 4)), nd.ones((2, 3, 4)))
        with pytest.raises(ValueError, match="align"):
            nd.batch_dot(nd.ones((2, 3, 4)), nd.ones((3, 4, 1)))


def test_reshape_to_wrong_size():
    x = fresh_var(np.arange(6.0), grad_value=2)
    with unchanged(x):
        with pytest.raises(ValueError, match=r"\(6,\).*\(4, 2\)"):
            x.reshape(4, 2)
        with pytest.raises(ValueError, match="reshape"):
            x.reshape(-1, 4)
        with pytest.raises(ValueError, match="reshape"):
            x.reshape(-1, -1)
        with pytest.raises(ValueError, match="reshape"):
            nd.reshape(x, (7,))


def test_index_out_of_range():
    x = fresh_var(np.arange(6.0).reshape(2, 3), grad_value=1)
    with unchanged(x):
        with pytest.raises(IndexError, match=r"index 2.*axis 0.*\(2, 3\)"):
            x[2]
        with pytest.raises(IndexError, match=r"index -4.*axis 1"):
            x[0, -4]
        with pytest.raises(IndexError, match="too many indices"):
            x[0, 0, 0]
        with pytest.raises(IndexError):
            x[5] = 1.0
        with autograd.record():
            with pytest.raises(IndexError, match="out of range"):
                x[1, 3]


def test_setitem_with_mismatched_value_shape():
    x = nd.zeros((2, 3))
    with unchanged(x):
        with pytest.raises(ValueError, match=r"\(2,\).*\(2, 3\)"):
            x[0] = nd.ones(2)


def test_bad_axis_and_structural_arguments():
    x = fresh_var(np.ones((2, 3)), grad_value=4)
    with unchanged(x):
        with pytest.raises(ValueError, match="axis 2"):
            x.sum(axis=2)
        with pytest.raises(ValueError, match="permutation"):
            x.transpose((0, 0))
        with pytest.raises(ValueError, match="divide"):
            nd.split(x, 2)
        with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 3\)"):
            nd.concat(x, nd.ones((3, 3)))
        with pytest.raises(ValueError, match="differ"):
            nd.stack(x, nd.ones((3, 2)))
        with pytest.raises(ValueError, match=r"size 1"):
            x.asscalar()
        with pytest.raises(ValueError, match=r"\(2, 3\).*\(3,\)"):
            x.copyto(nd.zeros(3))


def test_bad_creation_arguments():
    with pytest.raises(ValueError, match="negative"):
        nd.zeros((2, -1))
    with pytest.raises(ValueError, match="step"):
        nd.arange(0, 3, 0)
    with pytest.raises((TypeError, ValueError)):
        nd.array({"a": 1})


# ----------------------------------------------------------------- in-place ---

def test_inplace_add_on_recorded_array_inside_record():
    x = fresh_var([1.0, 2.0], grad_value=3)
    with autograd.record():
        y = x * 2
        with unchanged(x, y):
            with pytest.raises(RuntimeError, match="in-place"):
                y += 1
            with pytest.raises(RuntimeError, match="in-place"):
                x += 1
            with pytest.raises(RuntimeError, match="in-place"):
                y *= 2
            with pytest.raises(RuntimeError, match="in-place"):
                y.copyto(y)
        z = (y * y).sum()
    z.backward()                                        # still correct
    np.testing.assert_array_equal(x.grad.asnumpy(), [8.0, 16.0])


def test_setitem_on_recorded_array_inside_record():
    x = fresh_var([1.0, 2.0, 3.0], grad_value=3)
    with autograd.record():
        y = nd.exp(x)
        with unchanged(x, y):
            with pytest.raises(RuntimeError, match="in-place"):
                y[1] = 0.0
            with pytest.raises(RuntimeError, match="in-place"):
                y[0:2] = nd.zeros(2)
            with pytest.raises(RuntimeError, match="in-place"):
                x[1:3] = nd.zeros(2)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), np.exp([1.0, 2.0, 3.0]), rtol=1e-6)


@pytest.mark.parametrize("how", ["setitem", "iadd", "slice", "reshape-view", "copyto"])
def test_inplace_update_of_saved_input_makes_pending_backward_raise(how):
    x = fresh_var([1.0, 2.0, 3.0], grad_value=7)
    with autograd.record():
        y = (x * x).sum()
    if how == "setitem":
        x[0] = 10.0
    elif how == "iadd":
        x += 1
    elif how == "slice":
        x[1:] = nd.array([5.0, 6.0])
    elif how == "reshape-view":
        v = x.reshape(3, 1)
        v[2] = 0.0
    else:
        nd.array([4.0, 4.0, 4.0]).copyto(x)
    with unchanged(x):
        with pytest.raises(RuntimeError, match="modified in place"):
            y.backward()


def test_inplace_update_of_saved_output_makes_pending_backward_raise():
    # exp and sigmoid save their output for the backward pass
    for f in (nd.exp, nd.sigmoid, nd.sqrt):
        x = fresh_var([1.0, 2.0], grad_value=7)
        with autograd.record():
            y = f(x)
        y[:] = 100.0
        with unchanged(x):
            with pytest.raises(RuntimeError, match="modified in place"):
                y.backward()


def test_inplace_update_of_intermediate_makes_pending_backward_raise():
    x = fresh_var([1.0, 2.0], grad_value=7)
    with autograd.record():
        h = nd.sin(x)
        y = (h * h).sum()
    h += 1
    with unchanged(x):
        with pytest.raises(RuntimeError, match="modified in place"):
            y.backward()


def test_writing_through_a_slice_view_invalidates_a_pending_backward():
    x = fresh_var([1.0, 2.0, 3.0], grad_value=6)
    with autograd.record():
        y = (x * x).sum()
    part = x[0:2]
    part[:] = 100.0                 # a view, as in MXNet: x changes ...
    np.testing.assert_array_equal(x.asnumpy(), [100.0, 100.0, 3.0])
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()                # ... so the saved x is stale
    np.testing.assert_array_equal(x.grad.asnumpy(), [6.0, 6.0, 6.0])


def test_writing_to_a_strided_slice_copy_raises_and_changes_nothing():
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    col = x[:, 0]                   # not contiguous in x: a copy
    for write in (lambda: col.__setitem__(0, 9.0), lambda: col.__iadd__(1.0),
                  lambda: nd.ones(2).copyto(col),
                  lambda: col.reshape((2, 1)).__setitem__(0, 9.0)):
        with pytest.raises(ValueError, match=r"copy of a strided slice .*\(2, 2\)"):
            write()
    np.testing.assert_array_equal(col.asnumpy(), [1.0, 3.0])
    np.testing.assert_array_equal(x.asnumpy(), [[1.0, 2.0], [3.0, 4.0]])
    own = col.copy()                # the way to an independent array
    own[0] = 9.0
    np.testing.assert_array_equal(own.asnumpy(), [9.0, 3.0])


def test_inplace_update_after_backward_is_fine():
    x = fresh_var([1.0, 2.0])
    with autograd.record():
        y = x * x
    y.backward()
    x[:] = 3.0
    with autograd.record():
        y = x * x
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [6.0, 6.0])


# ------------------------------------------------------------------- dtypes ---

@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**", "dot", "maximum", "minimum",
                                "where", "concat", "batch_dot", "==", "<", "+="])
def test_mismatched_dtypes_raise_type_error(op):
    a = fresh_var(np.ones((2, 2)), grad_value=1)                 # float32
    b = nd.ones((2, 2), dtype=np.float64)
    f = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
         "/": lambda: a / b, "**": lambda: a ** b, "dot": lambda: nd.dot(a, b),
         "maximum": lambda: nd.maximum(a, b), "minimum": lambda: nd.minimum(b, a),
         "where": lambda: nd.where(a, a, b), "concat": lambda: nd.concat(a, b),
         "batch_dot": lambda: nd.batch_dot(a.reshape(1, 2, 2), b.reshape(1, 2, 2)),
         "==": lambda: a == b, "<": lambda: b < a,
         "+=": lambda: c.__iadd__(b)}[op]
    c = nd.ones((2, 2))                  # not a variable: += is allowed inside record
    with unchanged(a, b, c):
        with pytest.raises(TypeError, match="float32.*float64|float64.*float32"):
            f()
        with autograd.record():
            with pytest.raises(TypeError, match="dtype"):
                f()


# -------------------------------------------------- failures mid-backward ---

def test_a_backward_that_fails_midway_leaves_the_graph_for_a_retry():
    class Flaky(autograd.Function):
        fail = True

        def forward(self, x):
            return x * 1

        def backward(self, dy):
            if Flaky.fail:
                raise RuntimeError("boom")
            return dy

    x = fresh_var([1.0, 2.0], grad_value=5)
    with autograd.record():
        y = nd.sin(Flaky()(nd.exp(x))).sum()
    with unchanged(x):
        with pytest.raises(RuntimeError, match="boom"):
            y.backward()
    Flaky.fail = False
    y.backward()                            # not "freed by an earlier backward()"
    a = np.array([1.0, 2.0], dtype=np.float32)
    np.testing.assert_allclose(x.grad.asnumpy(), np.cos(np.exp(a)) * np.exp(a), rtol=1e-5)
    with pytest.raises(RuntimeError, match="freed by an earlier backward"):
        y.backward()                        # a successful walk did free it


def test_power_at_a_zero_or_negative_base_has_pytorchs_derivatives():
    """Was a ``math domain error`` inside backward()."""
    x = fresh_var([0.0, 0.0, 2.0])
    y = fresh_var([2.0, 0.0, 3.0])
    with autograd.record():
        z = (x ** y).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [0.0, 0.0, 12.0])   # 0 where y == 0
    np.testing.assert_allclose(y.grad.asnumpy(), [0.0, 0.0, 8 * np.log(2.0)], rtol=1e-6)
    e = fresh_var([1.0, 2.0, -1.0])
    with autograd.record(), np.errstate(divide="ignore", invalid="ignore"):
        w = (0 ** e).sum()                  # 0 ** -1 is inf, as numpy says
    w.backward()
    np.testing.assert_array_equal(e.grad.asnumpy(), [0.0, 0.0, -np.inf])
    with autograd.record():
        w = ((-2.0) ** e).sum()
    with np.errstate(invalid="ignore"):
        w.backward()
    assert np.isnan(e.grad.asnumpy()).all()     # the real log of -2 is undefined
    s = fresh_var([0.0, 3.0])
    with autograd.record():
        w = (s ** 0).sum()
    w.backward()
    np.testing.assert_array_equal(s.grad.asnumpy(), [0.0, 0.0])
    dt.check_grad(lambda b, p: b ** p, nd.array([0.5, 2.0], dtype="float64"),
                  nd.array([0.0, -1.5], dtype="float64"), order=2)


# ------------------------------------------------------- integer variables ---

@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "bool"])
def test_integer_arrays_cannot_be_differentiated(dtype):
    x = nd.array([1, 0], dtype=dtype)
    msg = "dtype %s; differentiation needs a float dtype" % np.dtype(dtype)
    with pytest.raises(TypeError, match=msg):
        x.attach_grad()
    assert x.grad is None
    with pytest.raises(TypeError, match=msg):
        autograd.mark_variables([x], [nd.zeros(2, dtype=dtype)])
    assert x.grad is None
    with pytest.raises(TypeError, match=msg):
        x.attach_tangent(nd.ones(2, dtype=dtype))
    assert x.tangent is None
    with pytest.raises(TypeError, match=msg):
        dt.grad(lambda v: v.sum())(x)


def test_mark_variables_checks_the_gradient_buffers():
    x = nd.array([1.0, 2.0])
    with pytest.raises(ValueError, match="dtype float64 for a variable of shape"):
        autograd.mark_variables([x], [nd.zeros(2, dtype="float64")])
    with pytest.raises(TypeError, match="takes NDArrays"):
        autograd.mark_variables([x], [np.zeros(2, np.float32)])
    assert x.grad is None


def test_nd_keeps_integer_dtypes_as_mxnet():
    """Facts from MXNet 1.9.1: the scalar is converted to the array's dtype
    first, and float results are cast back (truncated)."""
    x = nd.array([1, 2, -3], dtype="int32")
    cases = {"x + 1.5": [2, 3, -2], "x * 1.5": [1, 2, -3], "x / 2": [0, 1, -1],
             "x ** 2": [1, 4, 9], "2 ** x": [2, 4, 0], "nd.exp(x)": [2, 7, 0],
             "nd.norm(x)": [3], "nd.mean(x)": [0], "nd.sum(x)": [0], "x > 1.5": [0, 1, 0],
             "nd.abs(x)": [1, 2, 3]}
    for expr, want in cases.items():
        r = eval(expr)
        assert r.dtype is np.int32, expr
        np.testing.assert_array_equal(r.asnumpy(), want, err_msg=expr)
    y = nd.array([1, 2, -3], dtype="int32")
    y += 1.5
    np.testing.assert_array_equal(y.asnumpy(), [2, 3, -2])
    assert y.dtype is np.int32
    with pytest.raises(TypeError, match="different dtypes int32 and float32"):
        x + nd.array([1.5, 1.0, 1.0])
    assert nd.array([1.5, -2.7]).astype("int32").dtype is np.int32


# ------------------------------------------------------- leaving the tape ---

CONVERSIONS = {
    "asnumpy": lambda a: a.asnumpy(), "asscalar": lambda a: a[0].asscalar(),
    "item": lambda a: a.item(0), "tolist": lambda a: a.tolist(),
    "float": lambda a: float(a[0]), "int": lambda a: int(a[0]),
    "np.asarray": lambda a: np.asarray(a), "np.array": lambda a: np.array(a),
    "nd.array": lambda a: nd.array(a),
    "setitem value": lambda a: nd.zeros(2).__setitem__(slice(None), a),
    "inplace value": lambda a: nd.zeros(2).__iadd__(a),
    "copyto": lambda a: a.copyto(nd.zeros(2)),
}


@pytest.mark.parametrize("how", sorted(CONVERSIONS))
def test_leaving_the_tape_silently_raises(how):
    convert = CONVERSIONS[how]
    w = fresh_var([1.0, 2.0])
    with autograd.record():
        for a in (w, w * 2):
            with pytest.raises(RuntimeError, match="would silently drop its derivative"):
                convert(a)
    with pytest.raises(RuntimeError, match="detach"):
        dt.grad(lambda x: nd.sum(x * 1) + convert(x))(nd.array([1.0, 2.0]))
    with dt.forward_level():
        d = dt.make_dual(nd.array([1.0, 2.0]), nd.ones(2))
        with pytest.raises(RuntimeError, match="forward-mode tangent"):
            convert(d * 1)
    convert(w * 2)                          # outside record(): a plain value
    with autograd.record():
        convert((w * 2).detach())           # the explicit way out


def test_nd_array_of_a_numpy_conversion_inside_grad_raises_not_zero():
    with pytest.raises(RuntimeError, match="x.detach\\(\\).asnumpy\\(\\)"):
        dt.grad(lambda x: nd.sum(nd.array(x.asnumpy() ** 2)))(nd.array([1.0, 2.0]))


def test_numpy_functions_stay_on_the_tape():
    """numpy's protocols: np.sin and np.sum on a recorded array are recorded."""
    w = fresh_var([0.5, 1.5])
    with autograd.record():
        y = np.sum(np.sin(w) * w)
    y.backward()
    a = np.array([0.5, 1.5], dtype=np.float32)
    np.testing.assert_allclose(w.grad.asnumpy(), np.cos(a) * a + np.sin(a), rtol=1e-6)
    with autograd.record():
        with pytest.raises(TypeError, match="does not implement numpy.fft.fft .*x.asnumpy"):
            np.fft.fft(w * 2)
        with pytest.raises(TypeError, match="does not implement numpy.median"):
            np.median(w * 2)
    with pytest.raises(TypeError, match="does not implement numpy.median"):
        dt.grad(lambda x: np.median(x) * x.sum())(nd.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="does not implement numpy.median"):
        dt.jit(lambda x: x * np.median(x))(nd.array([1.0, 2.0]))


def test_numpy_functions_dualtape_lacks_run_on_values_without_a_derivative():
    """With nothing to differentiate or trace, numpy's other functions run on
    the values, as on numpy arrays; array results come back as dualtape
    arrays of the arguments' flavour."""
    import dualtape.numpy as dnp
    x = dnp.asarray([3.0, 1.0, 2.0, 5.0])
    assert np.allclose(x, x * 1.0) and not np.allclose(x, x + 1.0)
    assert np.median(x) == 2.5
    p = np.percentile(x, [0, 100])
    assert type(p) is type(x) and p.tolist() == [1.0, 5.0]
    counts, edges = np.histogram(x, bins=2)
    assert counts.tolist() == [2, 2] and type(edges) is type(x)     # edges 1, 3, 5
    m = nd.array([1.0, 2.0, 4.0])
    q = np.quantile(m, [0.5])
    assert type(q) is type(m) and q.asnumpy().tolist() == [2.0]
    out = dnp.zeros(2)
    with pytest.raises(TypeError, match="with out="):
        np.percentile(x, [0, 100], out=out)
    before = x.asnumpy().copy()
    for write in (lambda: np.fill_diagonal(x.reshape(2, 2), 0.0), lambda: np.put(x, [0], [9.0]),
                  lambda: np.place(x, x > 1, [0.0])):
        with pytest.raises(TypeError, match="writes into its array arguments"):
            write()
    np.testing.assert_array_equal(x.asnumpy(), before)


def test_a_tuple_of_arrays_where_one_array_goes_is_refused():
    """``dt.hvp(f, (x,), (v,))`` (JAX's jvp spelling) once stacked the tuple
    into an array of shape (1, n) and differentiated that, silently."""
    x = nd.array([1.0, 2.0], dtype="float64")
    f = lambda x: nd.sum(x * x * x)  # noqa: E731
    for call in (lambda: dt.hvp(f, (x,), (x,)), lambda: dt.grad(f)([x]),
                 lambda: dt.hessian(f)((x,))):
        with pytest.raises(TypeError, match="holding dualtape arrays; this argument takes one"):
            call()
