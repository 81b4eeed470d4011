"""dt.visualize: the drawing's structure, read back from the DOT source."""
import re
import shutil
import sys
import time

import pytest

import dualtape as dt
from dualtape import _engine, autograd, nd

NODE = re.compile(r"^\t(\w+) \[(.*)\]$")
EDGE = re.compile(r"^\t(\w+) -> (\w+)(?: \[(.*)\])?$")
ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"]+)')


class Drawing:
    """Nodes (id -> attributes, ``lines`` the label's lines) and edges
    (``(from, to, label)``) of a DOT source as the graphviz package writes it."""

    def __init__(self, graph):
        self.nodes, self.edges = {}, []
        for line in graph.source.splitlines():
            m = EDGE.match(line)
            if m:
                attrs = _attrs(m.group(3) or "")
                self.edges.append((m.group(1), m.group(2), attrs.get("label", ""), attrs))
                continue
            m = NODE.match(line)
            if m and m.group(1) not in ("graph", "node", "edge"):
                attrs = _attrs(m.group(2))
                attrs["lines"] = attrs["label"].split("\\n")
                self.nodes[m.group(1)] = attrs

    def find(self, first_line):
        """The id of the one node whose label starts with ``first_line``."""
        found = [k for k, a in self.nodes.items() if a["lines"][0] == first_line]
        assert len(found) == 1, (first_line, self.lines())
        return found[0]

    def lines(self):
        return sorted(a["lines"] for a in self.nodes.values())

    def edge_set(self):
        return sorted((self.nodes[a]["lines"][0] if a in self.nodes else a,
                       self.nodes[b]["lines"][0], label) for a, b, label, _ in self.edges)


def _attrs(text):
    out = {}
    for key, value in ATTR.findall(text):
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        out[key] = value
    return out


def variable(values, grad_req="write"):
    x = nd.array(values)
    x.attach_grad(grad_req)
    return x


def test_branching_graph():
    x = variable([1.0, 2.0, 3.0])
    with autograd.record():
        y = nd.sin(x) * nd.cos(x)
    d = Drawing(dt.visualize(y))
    assert d.lines() == sorted([
        ["multiply", "(3,) float32", "head"],
        ["sin", "(3,) float32"],
        ["cos", "(3,) float32"],
        ["variable", "(3,) float32", "grad_req write"],
    ])
    assert d.edge_set() == sorted([
        ("variable", "sin", ""), ("variable", "cos", ""),
        ("sin", "multiply", "in 0"), ("cos", "multiply", "in 1"),
    ])
    head = d.nodes[d.find("multiply")]
    assert head["penwidth"] == "2"
    assert d.nodes[d.find("variable")]["shape"] == "ellipse"


def test_constant_inputs_are_listed_on_their_op():
    x = nd.array([1.0, 2.0], dtype="float64")
    x.attach_grad()
    c = nd.array([[1.0, 1.0]], dtype="float64")
    with autograd.record():
        y = c - x
    d = Drawing(dt.visualize(y))
    assert d.nodes[d.find("subtract")]["lines"] == [
        "subtract", "(1, 2) float64", "in 0: constant (1, 2) float64", "head"]
    assert d.edge_set() == [("variable", "subtract", "in 1")]


def test_shared_inputs():
    x = variable([1.0, 2.0])
    with autograd.record():
        square = x * x
        a = nd.exp(x)
        y1 = a * 2
        y2 = a + 1
    d = Drawing(dt.visualize(square))
    assert d.edge_set() == [("variable", "multiply", "in 0"), ("variable", "multiply", "in 1")]

    d = Drawing(dt.visualize([y1, y2]))
    assert d.lines() == sorted([
        ["mul_scalar", "(2,) float32", "head 0"],
        ["add_scalar", "(2,) float32", "head 1"],
        ["exp", "(2,) float32"],
        ["variable", "(2,) float32", "grad_req write"],
    ])
    assert d.edge_set() == sorted([
        ("exp", "mul_scalar", ""), ("exp", "add_scalar", ""), ("variable", "exp", "")])

    d = Drawing(dt.visualize([y1, y2, y1]))
    assert d.nodes[d.find("mul_scalar")]["lines"][-1] == "head 0, head 2"


class Split(autograd.Function):
    """Two outputs of different shapes."""

    def forward(self, x):
        return x * 2, x.reshape((3, 1))

    def backward(self, g1, g2):
        return g1 * 2 + g2.reshape((3,))


def test_custom_function_with_several_outputs():
    x = variable([1.0, 2.0, 3.0])
    with autograd.record():
        a, b = Split()(x)
        z = a + nd.sin(b.reshape((3,)))
    d = Drawing(dt.visualize(z))
    assert d.nodes[d.find("Split")]["lines"] == [
        "Split", "out 0: (3,) float32", "out 1: (3, 1) float32"]
    assert d.edge_set() == sorted([
        ("variable", "Split", ""), ("Split", "add", "out 0 → in 0"),
        ("Split", "reshape", "out 1"), ("reshape", "sin", ""), ("sin", "add", "in 1")])

    d = Drawing(dt.visualize([b, a]))
    assert d.lines() == sorted([
        ["Split", "out 0: (3,) float32", "out 1: (3, 1) float32",
         "head 0 (out 1), head 1 (out 0)"],
        ["variable", "(3,) float32", "grad_req write"]])

    # freed, only the outputs that arrays still hold are known
    z.backward()
    d = Drawing(dt.visualize(a))
    assert d.lines() == [["Split (freed)", "out 0: (3,) float32", "out 1: shape unknown",
                          "inputs freed by backward()", "head (out 0)"]]


def test_graph_freed_by_backward():
    x = variable([1.0, 2.0, 3.0])
    with autograd.record():
        y = nd.sum(nd.sin(x))
    y.backward()
    d = Drawing(dt.visualize(y))
    assert d.lines() == [["sum (freed)", "(1,) float32", "inputs freed by backward()", "head"]]
    assert d.nodes[d.find("sum (freed)")]["style"] == "dashed"
    assert d.edges == []


def test_graph_partly_freed_and_retained():
    x = variable([1.0, 2.0, 3.0])
    with autograd.record():
        a = nd.sin(x)
        y = a * 2
        z = a + 1
    y.backward(retain_graph=True)
    d = Drawing(dt.visualize(z))
    assert d.lines() == sorted([
        ["add_scalar", "(3,) float32", "head"], ["sin", "(3,) float32"],
        ["variable", "(3,) float32", "grad_req write"]])
    y.backward()
    d = Drawing(dt.visualize(z))
    assert d.lines() == sorted([
        ["add_scalar", "(3,) float32", "head"],
        ["sin (freed)", "(3,) float32", "inputs freed by backward()"]])
    assert d.edge_set() == [("sin (freed)", "add_scalar", "")]


def test_grad_req_variants():
    x1 = variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "write")
    x2 = variable([1.0, 2.0, 3.0], "add")
    x3 = variable([[1.0, 2.0, 3.0]], "null")
    x4 = nd.array([2.0])
    autograd.mark_variables(x4, nd.zeros(1), "add")
    with autograd.record():
        y = x1 * x2 * x3 * x4
    d = Drawing(dt.visualize(y))
    variables = sorted(a["lines"] for a in d.nodes.values() if a["lines"][0] == "variable")
    assert variables == sorted([
        ["variable", "(2, 3) float32", "grad_req write"],
        ["variable", "(3,) float32", "grad_req add"],
        ["variable", "(1, 3) float32", "grad_req null"],
        ["variable", "(1,) float32", "grad_req add"]])


def test_a_variable_as_head():
    x = variable([1.0], "null")
    assert Drawing(dt.visualize(x)).lines() == [
        ["variable", "(1,) float32", "grad_req null", "head"]]


def test_tangent_levels_on_head_ops_and_variables():
    x = variable([1.0, 2.0, 3.0])
    x.attach_tangent(nd.ones(3))
    with dt.forward_level() as level:
        xd = dt.make_dual(x, nd.ones((4, 3)), level)
        with autograd.record():
            y = nd.sin(nd.exp(xd))
        both = "tangents at levels 1 (base), %d batch (4,)" % level
        d = Drawing(dt.visualize(y))
        assert d.lines() == sorted([
            ["sin", "(3,) float32", both, "head"],
            ["exp", "(3,) float32", both],
            ["variable", "(3,) float32", "grad_req write", both]])
    # the level is closed: its tangents are no longer live
    d = Drawing(dt.visualize(y))
    base = "tangents at level 1 (base)"
    assert d.lines() == sorted([
        ["sin", "(3,) float32", base, "head"],
        ["exp", "(3,) float32", base],
        ["variable", "(3,) float32", "grad_req write", base]])


def test_an_array_off_the_tape():
    with dt.forward_level() as level:
        x = dt.make_dual(nd.array([1.0, 2.0]), nd.ones(2))
        y = nd.sin(x)
        d = Drawing(dt.visualize([y, nd.zeros((2, 2), dtype="float64")]))
    assert d.lines() == sorted([
        ["not recorded", "(2,) float32", "tangents at level %d" % level, "head 0"],
        ["not recorded", "(2, 2) float64", "head 1"]])

    # heads off the tape are drawn whatever the limit on the tape's boxes
    x = variable([1.0, 2.0])
    with autograd.record():
        y = nd.sin(x)
    d = Drawing(dt.visualize([nd.ones(2), y], max_nodes=1))
    assert d.lines() == sorted([
        ["not recorded", "(2,) float32", "head 0"], ["sin", "(2,) float32", "head 1"],
        ["1 of 2 tape nodes not shown", "(max_nodes=1)"]])


def test_repeated_op_sequence_with_a_shared_variable_is_collapsed():
    x = variable([1.0, 2.0])
    w = variable([0.5, 0.5], "add")
    with autograd.record():
        h = nd.sin(x)
        for _ in range(10):
            h = nd.tanh(h * w)
    d = Drawing(dt.visualize(h))
    assert d.lines() == sorted([
        ["(multiply → tanh) × 10", "20 ops", "(2,) float32", "head"],
        ["sin", "(2,) float32"],
        ["variable", "(2,) float32", "grad_req write"],
        ["variable", "(2,) float32", "grad_req add"]])
    run = d.find("(multiply → tanh) × 10")
    assert d.nodes[run]["shape"] == "box3d"
    into = sorted((d.nodes[a]["lines"][-1], label) for a, b, label, _ in d.edges if b == run)
    assert into == [("(2,) float32", ""), ("grad_req add", "× 10")]
    assert len(d.edges) == 3

    # fewer repeats than asked for, or collapsing off: every op is drawn
    for collapse in (11, 0):
        d = Drawing(dt.visualize(h, collapse=collapse))
        assert len(d.nodes) == 23
        assert len(d.edges) == 1 + 2 * 10 + 10


def test_runs_of_one_op_and_constants_in_a_run():
    x = variable([1.0, 2.0])
    c = nd.array([3.0, 4.0])
    with autograd.record():
        h = nd.exp(x)
        for _ in range(5):
            h = h - c
        y = nd.sum(h)
    d = Drawing(dt.visualize(y))
    assert d.lines() == sorted([
        ["sum", "(1,) float32", "head"],
        ["subtract × 5", "5 ops", "(2,) float32", "5 constant inputs"],
        ["exp", "(2,) float32"],
        ["variable", "(2,) float32", "grad_req write"]])


def test_an_op_used_twice_ends_a_chain():
    x = variable([1.0])
    with autograd.record():
        h = nd.exp(x)
        for _ in range(4):
            h = nd.sin(h)
        y = h * h
        for _ in range(4):
            y = nd.sin(y)
    d = Drawing(dt.visualize(y))
    assert d.lines() == sorted([
        ["sin × 4", "4 ops", "(1,) float32"],
        ["sin × 4", "4 ops", "(1,) float32", "head"],
        ["multiply", "(1,) float32"], ["exp", "(1,) float32"],
        ["variable", "(1,) float32", "grad_req write"]])


def test_a_head_ends_a_chain():
    x = variable([1.0])
    with autograd.record():
        h = nd.exp(x)
        for i in range(8):
            h = nd.sin(h)
            if i == 3:
                mid = h
    d = Drawing(dt.visualize([h, mid]))
    assert d.lines() == sorted([
        ["sin × 4", "4 ops", "(1,) float32", "head 0"],
        ["sin × 4", "4 ops", "(1,) float32", "head 1"],
        ["exp", "(1,) float32"], ["variable", "(1,) float32", "grad_req write"]])


def test_a_100000_op_chain_is_summarised_fast():
    x = variable([1.0, 2.0, 3.0])
    with autograd.record():
        y = x
        for _ in range(50000):
            y = nd.cos(nd.sin(y))
    start = time.process_time()
    graph = dt.visualize(y)
    # a linear pass takes about a second of CPU; a quadratic one, hours
    assert time.process_time() - start < 30
    d = Drawing(graph)
    assert d.lines() == sorted([
        ["cos", "(3,) float32", "head"],
        ["(cos → sin) × 49,999", "99,998 ops", "(3,) float32"],
        ["sin", "(3,) float32"],
        ["variable", "(3,) float32", "grad_req write"]])
    assert d.edge_set() == sorted([
        ("variable", "sin", ""), ("sin", "(cos → sin) × 49,999", ""),
        ("(cos → sin) × 49,999", "cos", "")])

    d = Drawing(dt.visualize(y, max_nodes=2))
    assert len(d.nodes) == 3
    assert d.nodes["omitted"]["lines"] == ["2 of 100,001 tape nodes not shown",
                                           "(max_nodes=2)"]
    assert [(b, label) for a, b, label, _ in d.edges if a == "omitted"] == [
        (d.find("(cos → sin) × 49,999"), "")]


def test_node_limit_counts_what_is_left_out():
    x = variable([1.0, 2.0])
    with autograd.record():
        y = nd.sin(x)
        for _ in range(299):
            y = y + nd.sin(x)
    d = Drawing(dt.visualize(y))
    assert len(d.nodes) == 501
    assert d.nodes["omitted"]["lines"] == ["100 of 600 tape nodes not shown",
                                           "(max_nodes=500)"]
    pointed = [b for a, b, _, attrs in d.edges if a == "omitted"]
    assert pointed and all(d.nodes[b]["lines"][0] in ("add", "sin") for b in pointed)
    assert all(attrs["style"] == "dashed" for a, _, _, attrs in d.edges if a == "omitted")
    assert all(a in d.nodes and b in d.nodes for a, b, _, _ in d.edges)
    # the boxes kept are those nearest the head (breadth first)
    assert ["add", "(2,) float32", "head"] in d.lines()
    assert ["variable", "(2,) float32", "grad_req write"] in d.lines()

    d = Drawing(dt.visualize(y, max_nodes=600))
    assert len(d.nodes) == 600 and "omitted" not in d.nodes


def test_errors():
    x = variable([1.0])
    with pytest.raises(TypeError, match="NDArray"):
        dt.visualize([1.0, 2.0])
    with pytest.raises(TypeError, match="NDArray or a list"):
        dt.visualize("x")
    with pytest.raises(ValueError, match="at least one array"):
        dt.visualize([])
    with pytest.raises(ValueError, match="max_nodes"):
        dt.visualize(x, max_nodes=0)
    with pytest.raises(ValueError, match="collapse"):
        dt.visualize(x, collapse=1)


def test_without_the_graphviz_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match="pip install graphviz"):
        dt.visualize(variable([1.0]))


def test_without_the_dot_program(monkeypatch):
    x = variable([1.0])
    with autograd.record():
        y = nd.sin(x)
    monkeypatch.setenv("PATH", "")
    graph = dt.visualize(y)
    assert graph.source.startswith("digraph")
    assert hasattr(graph, "_repr_mimebundle_")      # Jupyter's inline display


@pytest.mark.skipif(shutil.which("dot") is None,
                    reason="Graphviz's dot program is not installed (apt-get install graphviz)")
def test_renders_to_svg():
    x = variable([1.0, 2.0])
    with autograd.record():
        y = nd.sum(nd.tanh(x) * x)
    svg = dt.visualize(y).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    for text in ("tanh", "multiply", "sum", "grad_req write", "in 1"):
        assert ">%s</text>" % text in svg


def test_mxnet_spelling_and_nothing_kept_alive():
    assert autograd.visualize is dt.visualize
    x = variable([1.0, 2.0])
    with autograd.record():
        y = nd.sin(x) * x
    before = _engine.live_objects()
    dt.visualize(y)
    assert _engine.live_objects() == before
