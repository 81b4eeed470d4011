#!/usr/bin/env bash
# dt.visualize with Graphviz installed: Debian's graphviz package (the dot
# program) and the graphviz Python package, an example rendered to SVG and
# checked, then tests/test_visualize.py again so that its SVG test runs.
# Run from the repository root inside CI's venv (the project installed with
# .[test]).
set -euxo pipefail

cd "$(dirname "$0")/.."

if ! command -v dot >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz
fi
dot -V
python -c "import graphviz" || python -m pip install "graphviz>=0.20"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

python - "$out/tape" <<'PY'
import sys

import dualtape as dt
from dualtape import autograd, nd

x = nd.array([1.0, 2.0, 3.0])
x.attach_grad()
with autograd.record():
    h = nd.sin(x)
    for _ in range(100):
        h = nd.tanh(h * x)
    y = nd.sum(h)
print(dt.visualize(y).render(sys.argv[1], format="svg"))
PY

svg="$out/tape.svg"
test -s "$svg"
python - "$svg" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
for want in ("sum", "head", "(multiply → tanh) × 100", "200 ops", "grad_req write", "× 100"):
    assert want in texts, (want, texts)
print("SVG ok:", len(texts), "text elements")
PY

python -m pytest -q tests/test_visualize.py
