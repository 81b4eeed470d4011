"""The ``>>>`` examples in the docstrings of every dualtape module (and of
docs/gen_operators.py) run and print what they show."""
import doctest
import importlib
import importlib.util
import inspect
import pathlib
import pkgutil

import pytest

import dualtape

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _module_names():
    return ["dualtape"] + sorted(
        m.name for m in pkgutil.walk_packages(dualtape.__path__, "dualtape."))


def _run(module):
    """Run the module's examples; ``(failed, attempted, report)``."""
    finder = doctest.DocTestFinder()
    report = []
    runner = doctest.DocTestRunner(verbose=False)
    for test in finder.find(module, module.__name__):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    return result.failed, result.attempted, "".join(report)


def _has_examples(module):
    """Whether the module's Python source holds a ``>>>`` example."""
    try:
        return ">>> " in inspect.getsource(module)
    except (OSError, TypeError):        # a compiled extension: no source
        return False


@pytest.mark.parametrize("name", _module_names())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, attempted, report = _run(module)
    assert failed == 0, report
    # an example the finder cannot reach (a docstring it does not see) would
    # silently never run
    assert attempted or not _has_examples(module), (
        "%s has >>> examples but doctest found none" % name)


def test_generator_examples():
    spec = importlib.util.spec_from_file_location("gen_operators",
                                                  ROOT / "docs" / "gen_operators.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    failed, attempted, report = _run(gen)
    assert attempted and failed == 0, report
