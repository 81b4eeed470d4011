"""The code blocks of README.md and docs/*.md run and print what the page
shows."""
import contextlib
import io
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```python\n(.*?)```(?:\s*Output:\s*```text\n(.*?)```)?", re.S)


def _pages():
    pages = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    return [p for p in pages if "```python" in p.read_text()]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_code_blocks_print_the_documented_output(page):
    namespace = {}
    blocks = BLOCK.findall(page.read_text())
    assert blocks, "no code blocks in %s" % page
    for code, expected in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(page), "exec"), namespace)
        if expected:
            assert out.getvalue() == expected, code


def test_operator_reference_is_up_to_date():
    """docs/operators.md is what docs/gen_operators.py writes now."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("gen_operators",
                                                  ROOT / "docs" / "gen_operators.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "operators.md").read_text() == gen.render(), (
        "docs/operators.md is stale: run python docs/gen_operators.py")
