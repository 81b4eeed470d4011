#!/usr/bin/env bash
# The documentation site: build docs/ with Sphinx, warnings as errors, and run
# the docstring examples. Run from the repository root inside a venv that has
# the project installed (pip install -e ".[test]").
set -euxo pipefail

cd "$(dirname "$0")/.."

# Sphinx and MyST come from the project's `docs` extra; install them here
# only if that step was skipped.
if ! python -c "import sphinx, myst_parser" 2>/dev/null; then
    pip install "sphinx>=7" "myst-parser>=2"
fi

# build outside the tree so that the clone stays clean; -E: no cached state
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
python -m sphinx -W --keep-going -E -b html docs "$out/html"

# the >>> examples of every module (also part of the main test suite), and
# the code blocks of the pages with the output they show
python -m pytest -q tests/test_doctests.py tests/test_docs.py
