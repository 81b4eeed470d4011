"""Sphinx configuration for the dualtape documentation site.

The Markdown pages are read by MyST; the API reference (``docs/api/``) is
autodoc over the docstrings, which are numpydoc-style (napoleon renders
them).  Build from the repository root, with the extensions built in place
(``pip install -e .``)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# document this tree's package (built in place by ``pip install -e .``), not
# another installed copy
sys.path.insert(0, str(ROOT))

import dualtape  # noqa: E402

project = "dualtape"
author = "the dualtape developers"
copyright = "the dualtape developers"
version = release = dualtape.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# gen_operators.py is the generator of operators.md, not a page
exclude_patterns = ["_build", "gen_operators.py"]

# links to a heading of another page (``operators.md#...``) need its anchor
myst_heading_anchors = 3

autodoc_default_options = {"members": True}
# the compiled extensions are built with embedsignature: the first docstring
# line is the real signature
autodoc_docstring_signature = True
autodoc_member_order = "bysource"
autosummary_generate = False

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

html_theme = "alabaster"
html_title = "dualtape %s" % release


def _drop_self(app, what, name, obj, options, signature, return_annotation):
    """Cython's embedded signatures of methods start with ``self``; Sphinx
    shows methods without it."""
    if what == "method" and signature and signature.startswith("(self"):
        signature = "(" + signature[len("(self"):].lstrip(", ")
    return signature, return_annotation


def setup(app):
    app.connect("autodoc-process-signature", _drop_self)
