#!/usr/bin/env bash
# Benchmark tooling checks (issue 11), run from the repository root inside the
# CI venv, after .ci/run's asv quick run (dualtape installed):
#   - `python -m dualtape bench --plot` and the dashboard rewriting, with
#     matplotlib installed, so none of tests/test_bench_cli.py may skip;
#   - `python -m dualtape dashboard` publishes a dashboard that loads nothing
#     from the internet.
set -euxo pipefail

cd "$(dirname "$0")/.."

# The dashboard's scripts come from Debian's packages (see dualtape/dashboard.py).
debs=(libjs-jquery libghc-js-flot-data libjs-bootstrap libjs-jquery-stupidtable node-blueimp-md5)
if ! dpkg -s "${debs[@]}" >/dev/null 2>&1; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${debs[@]}"
fi
python -m pip install "asv>=0.6" "tqdm>=4" "matplotlib>=3.5"
asv machine --yes

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# With its optional dependencies installed, every test of the file must run.
python -m pytest -q -rs tests/test_bench_cli.py | tee "$tmp/pytest.log"
if grep -qi "skipped" "$tmp/pytest.log"; then
    echo "tests/test_bench_cli.py skipped tests although matplotlib and tqdm are installed" >&2
    exit 1
fi

# Results to publish: one fast benchmark, saved under this commit (a --dry-run
# saves nothing).
asv run -E existing:same --quick --show-stderr \
    --set-commit-hash "$(git rev-parse HEAD)" -b '^bench_overhead\.Seed\.'
python -m dualtape dashboard

html="$(python -c 'from dualtape.dashboard import html_dir_of; print(html_dir_of("asv.conf.json"))')"
test -f "$html/index.html"
# The run above is graphed (a series with at least one point).  asv graphs only
# commits of the configured branch, main: CI runs on a clone of main.
if git merge-base --is-ancestor HEAD main 2>/dev/null; then
    find "$html/graphs" -path '*/branch-main/*' -name 'bench_overhead.Seed.time_record_backward.json' \
        -exec grep -l '\[\[' {} + | grep -q .
else
    echo "HEAD is not on branch main, so asv does not graph it: graph check skipped" >&2
    test "${CI:-}" != true
fi

# No tag that loads something (script, link, img, ...) may name a remote URL,
# whatever its line breaks (-z reads a whole file as one record); <a href>
# links a reader follows are allowed.
remote_load='<(script|link|img|iframe|source|embed|object)\b[^>]*?\b(src|href|data)\s*=\s*["'"'"']?\s*(https?:)?//[^>]*>'
if grep -rzoiP --include='*.html' "$remote_load" "$html" | tr '\0' '\n' | grep .; then
    echo "the published dashboard loads remote assets (above)" >&2
    exit 1
fi
if grep -rzoiP --include='*.html' '\bsrc\s*=\s*["'"'"']?\s*(https?:)?//[^>]*' "$html" | tr '\0' '\n' | grep .; then
    echo "the published dashboard has a remote src (above)" >&2
    exit 1
fi
# ... and every local script and stylesheet it loads is there.
grep -zoiP '<(script|link)\b[^>]*>' "$html/index.html" | tr '\0' '\n' \
    | grep -oiP '\b(src|href)\s*=\s*"\K[^"#]+' \
    | while read -r f; do test -f "$html/$f" || { echo "index.html loads missing $f" >&2; exit 1; }; done
