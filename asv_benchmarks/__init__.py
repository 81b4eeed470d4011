"""asv benchmark suites for dualtape (run from the repository root: see
``docs/benchmarks.md``).

The workloads themselves (functions, data, numpy references and the dualtape
set-ups) live in ``dualtape.bench`` so that ``python -m dualtape bench`` and asv
time the same code; each suite here only arranges them into asv classes.

asv imports this package without putting the repository root on ``sys.path``,
and with ``environment_type: existing`` it installs nothing: the dualtape it
measures is the one importable by the interpreter that runs asv.  When none is
installed, fall back to this checkout (an in-place build,
``python setup.py build_ext --inplace``).
"""
import os
import sys

try:
    import dualtape  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
