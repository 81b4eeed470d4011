#!/usr/bin/env bash
# Packaging check (issue 11): the sdist and the wheel build, carry what they
# must (and nothing else), install into fresh virtual environments and pass
# the test suite there, run from outside the source tree; the type stubs
# match the compiled modules and type-check an example with mypy --strict.
#
# Run from the repository root inside CI's venv (see .ci/run).  Needs PyPI
# (isolated builds, fresh venvs), git and ldd; four to six minutes here.
set -euxo pipefail

cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The `release` extra (build, twine), without reinstalling the project.
python - >"$work/release.txt" <<'EOF'
import tomllib
with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["optional-dependencies"]["release"]))
EOF
python -m pip install -r "$work/release.txt"

# --- build: the sdist, then the wheel from the unpacked sdist --------------
python -m build --outdir "$work/dist" .
sdist="$(echo "$work"/dist/dualtape-*.tar.gz)"
wheel="$(echo "$work"/dist/dualtape-*.whl)"
test -f "$sdist" && test -f "$wheel"
python -m twine check --strict "$sdist" "$wheel"

# The sdist holds exactly the tracked files of the package, its tests and
# docs, plus the generated metadata: no generated C, built objects, build/,
# .asv/ or other checkout debris.  The wheel holds the modules, the three
# extensions and the type information, and no sources to compile.
git ls-files >"$work/tracked.txt"
python - "$sdist" "$wheel" "$work/tracked.txt" <<'EOF'
import sys
import tarfile
import zipfile

sdist, wheel, tracked_list = sys.argv[1:]
tracked = set(open(tracked_list).read().split())
with tarfile.open(sdist) as tar:
    names = {m.name.split("/", 1)[1] for m in tar.getmembers()
             if m.isfile() and "/" in m.name}
metadata = {"PKG-INFO", "setup.cfg"}
untracked = sorted(n for n in names - tracked
                   if n not in metadata and not n.startswith("dualtape.egg-info/"))
assert not untracked, "sdist carries files that are not in git: %s" % untracked
shipped = ("dualtape/", "tests/", "docs/", "README.md", "LICENSE", "MANIFEST.in",
           "pyproject.toml", "setup.py")
missing = sorted(t for t in tracked if t.startswith(shipped) and t not in names)
assert not missing, "sdist lacks tracked files: %s" % missing

with zipfile.ZipFile(wheel) as whl:
    files = set(whl.namelist())
for ext in ("_engine", "_kernels", "_binary", "_fused"):
    assert any(f.startswith("dualtape/%s." % ext) and f.endswith((".so", ".pyd"))
               for f in files), "wheel lacks the extension dualtape.%s" % ext
wanted = {t for t in tracked if t.startswith("dualtape/") and t.endswith((".py", ".pyi"))}
wanted.add("dualtape/py.typed")
assert wanted <= files, "wheel lacks %s" % sorted(wanted - files)
sources = sorted(f for f in files if f.endswith((".pyx", ".pxi", ".pxd", ".tp", ".c")))
assert not sources, "wheel carries sources to compile: %s" % sources
print("sdist: %d files, wheel: %d files" % (len(names), len(files)))
EOF

mkdir "$work/src"
tar -xzf "$sdist" -C "$work/src"
src="$(echo "$work"/src/dualtape-*)"

# A directory outside the checkout with the suite as the sdist ships it
# (tests/, and the README and docs/ that tests/test_docs.py runs).
suite_copy() {
    mkdir "$1"
    cp -r "$src/tests" "$src/docs" "$src/README.md" "$src/pyproject.toml" "$1/"
}

# `python -m pytest` and `python -` put the current directory first on
# sys.path: from a suite copy, `import dualtape` must be the installed one.
check_installed() {
    "$1" - <<'EOF'
import os
import sysconfig

import dualtape
import dualtape._engine
import dualtape._kernels

site = os.path.realpath(sysconfig.get_paths()["platlib"])
for mod in (dualtape, dualtape._engine, dualtape._kernels):
    where = os.path.realpath(mod.__file__)
    assert where.startswith(os.path.join(site, "dualtape") + os.sep), (mod.__name__, where)
print("dualtape imported from", os.path.dirname(dualtape.__file__))
EOF
}

kernels_so() {
    "$1" -c 'import dualtape._kernels as k; print(k.__file__)'
}

# --- the wheel: test suite, mypy --strict, stubtest -------------------------
python -m venv "$work/wheel-venv"
wpy="$work/wheel-venv/bin/python"
"$wpy" -m pip install "$wheel[test,typing]"
suite_copy "$work/wheel-suite"
cd "$work/wheel-suite"
check_installed "$wpy"
# built where the compiler has OpenMP (gcc here): it must be used
ldd "$(kernels_so "$wpy")" | grep -q libgomp
"$wpy" -m pytest -q -p no:cacheprovider tests

"$wpy" -m mypy --strict docs/typing_example.py
"$wpy" docs/typing_example.py
cat >"$work/stubtest-allowlist.txt" <<'EOF'
# Cython's own module and pickling attributes
dualtape\._(engine|kernels|binary|fused)\.__test__
dualtape\._engine\.(Op\.)?__(reduce|setstate)_cython__
dualtape\._fused\.((Group|Call|Program|Dispatcher)\.)?__(reduce|setstate)_cython__
# the C functions _engine exports to _fused (cimported, not a Python interface)
dualtape\._engine\.__pyx_capi__
# built at import; stubtest still checks that each of its names is in the stub
dualtape\.nd\.__all__
# the op namespace has no stubs of its own: dualtape/nd.pyi types its functions
dualtape\.ops(\..*)?
# a cache filled at first use, not part of the interface
dualtape\.numpy\._core\._resolved
EOF
"$wpy" -m mypy.stubtest --mypy-config-file pyproject.toml \
    --allowlist "$work/stubtest-allowlist.txt" dualtape

# --- the sdist: pip builds it, configured as on macOS (no OpenMP), and the
# suite runs against the oldest numpy and scipy that pyproject.toml allows --
python - >"$work/oldest.txt" <<'EOF'
import re
import tomllib
with open("pyproject.toml", "rb") as f:
    for dep in tomllib.load(f)["project"]["dependencies"]:
        name, floor = re.fullmatch(r"([\w-]+)>=([\d.]+)", dep).groups()
        print("%s==%s.*" % (name, floor))
EOF
python -m venv "$work/sdist-venv"
spy="$work/sdist-venv/bin/python"
DUALTAPE_NO_OPENMP=1 "$spy" -m pip install "$sdist[test]" -r "$work/oldest.txt"
suite_copy "$work/sdist-suite"
cd "$work/sdist-suite"
check_installed "$spy"
"$spy" -c 'import numpy, scipy; print("numpy", numpy.__version__, "scipy", scipy.__version__)'
if ldd "$(kernels_so "$spy")" | grep -q libgomp; then
    echo "DUALTAPE_NO_OPENMP=1 still linked OpenMP" >&2
    exit 1
fi
"$spy" -m pytest -q -p no:cacheprovider tests
