"""The command-line side of the benchmarks: ``python -m dualtape bench --plot``
and the offline asv dashboard (``python -m dualtape dashboard``)."""
import os
import sys

import pytest

from dualtape import bench, dashboard


# ------------------------------------------------------------ bench --plot ---

def test_plot_without_matplotlib_is_a_clear_error_before_timing(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # import matplotlib -> ImportError
    monkeypatch.setitem(sys.modules, "matplotlib.backend_bases", None)
    monkeypatch.setattr(bench, "measure", lambda *a: pytest.fail("timed before the check"))
    out = tmp_path / "ratios.png"
    assert bench.main(["--quick", "--only", "W1", "--plot", str(out)]) == 1
    assert "needs matplotlib: pip install matplotlib" in capsys.readouterr().err
    assert not out.exists()


def test_plot_to_an_unknown_format_is_refused_before_timing(monkeypatch, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(bench, "measure", lambda *a: pytest.fail("timed before the check"))
    assert bench.main(["--quick", "--only", "W1", "--plot", str(tmp_path / "ratios.xyz")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and ".png" in err and ".svg" in err


def test_plot_draws_each_workloads_ratios_on_a_log_scale(tmp_path):
    pytest.importorskip("matplotlib")
    cell = lambda w, size, impl, var, ratio: dict(workload=w, size=size, impl=impl, variant=var,
                                                  median=1e-6 * ratio, ratio=ratio, check="ok")
    results = [
        dict(cell("W2", "16", "numpy", "primal", 1.0), check="baseline"),
        cell("W2", "16", "dualtape", "nd facade", 4.0),
        cell("W2", "16", "torch", "eager", 40.0),
        dict(cell("W2", "n=1e3", "numpy", "primal", 1.0), check="baseline"),
        cell("W2", "n=1e3", "dualtape", "nd facade", 2.5),
        dict(workload="W2", size="n=1e3", impl="torch", variant="eager", error="RuntimeError: x"),
        dict(cell("W7", "n=1e4", "numpy", "fwd only", 1.0), check="baseline"),
        cell("W7", "n=1e4", "dualtape", "nd facade", 3.0),
    ]
    fig = bench.plot_ratios(results, str(tmp_path / "r.png"))
    w2, w7 = fig.axes
    assert w2.get_title().startswith("W2") and w7.get_title().startswith("W7")
    assert w2.get_yscale() == w7.get_yscale() == "log"
    lines = {ln.get_label(): list(ln.get_ydata()) for ln in w2.get_lines()}
    assert lines["dualtape nd facade"] == [4.0, 2.5]
    assert lines["torch eager"] == [40.0]                    # the failed cell is not drawn
    assert lines["numpy forward only (= 1)"] == [1.0, 1.0]   # the reference line
    assert [t.get_text() for t in w2.get_xticklabels()] == ["16", "n=1e3"]
    assert (tmp_path / "r.png").stat().st_size > 10_000


@pytest.mark.parametrize("ext, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml")])
def test_bench_plot_writes_the_run_it_prints(tmp_path, capsys, ext, magic):
    pytest.importorskip("matplotlib")
    pytest.importorskip("tqdm")
    import matplotlib
    out = tmp_path / ("ratios." + ext)
    with matplotlib.rc_context({"svg.fonttype": "none"}):      # SVG text stays text
        assert bench.main(["--quick", "--only", "W1,dualtape", "--plot", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "W1  seed" in printed and "nd facade" in printed
    data = out.read_bytes()
    assert data.startswith(magic)
    if ext == "png":                  # one panel, 5.2 x 4 in at 100 dpi, not blank
        from matplotlib.image import imread
        pixels = imread(str(out))
        assert pixels.shape[:2] == (400, 520) and pixels.std() > 0.05
    else:                             # the title, the legend and the points are drawn
        text = data.decode()
        assert "W1  seed" in text and "dualtape nd facade" in text
        assert text.count("<use ") >= 2 and "numpy forward only (= 1)" in text


# ------------------------------------------------------ offline dashboard ---

ASV_HEAD = """<html><head>
<script src="https://code.jquery.com/jquery-3.3.1.min.js" integrity="sha256-abc=" crossorigin="anonymous" onerror="js_load_failure()"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.min.js" integrity="sha512-x" crossorigin="anonymous" referrerpolicy="no-referrer"></script>
<script src="https://cdn.jsdelivr.net/npm/flot-orderbars@1.0.0/js/jquery.flot.orderBars.js"></script>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@3.1.1/dist/css/bootstrap.min.css" integrity="sha256-y" crossorigin="anonymous">
<script src="asv.js"></script>
</head><body><a href="https://github.com/airspeed-velocity/asv/"><img src="swallow.png"></a></body></html>
"""


def test_rewrite_points_loaded_assets_at_local_copies_and_keeps_links():
    text, used, unknown = dashboard.rewrite(ASV_HEAD)
    assert unknown == []
    assert '<script src="vendor/javascript/jquery/jquery.min.js" onerror="js_load_failure()"></script>' in text
    assert '<script src="vendor/haskell-js-flot/jquery.flot.min.js"></script>' in text
    assert '<script src="vendor/dualtape/order_bars.js"></script>' in text
    assert '<link rel="stylesheet" href="vendor/javascript/bootstrap/css/bootstrap.min.css">' in text
    assert "integrity" not in text and "crossorigin" not in text and "referrerpolicy" not in text
    assert '<a href="https://github.com/airspeed-velocity/asv/">' in text     # a link, not a load
    assert '<script src="asv.js"></script>' in text
    assert [p for _, p in used] == ["javascript/jquery/jquery.min.js", "haskell-js-flot/jquery.flot.min.js",
                                    "dualtape/order_bars.js", "javascript/bootstrap/css/bootstrap.min.css"]


@pytest.mark.parametrize("tag", [
    '<script src="https://cdn.example.org/lib/other.js"></script>',
    "<link rel='stylesheet' href='//cdn.example.org/other.css'>",
    '<img src="http://example.org/logo.png">',
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/flot/4.2.1/jquery.flot.min.js"></script>',
])
def test_rewrite_reports_a_remote_asset_it_has_no_copy_of(tag):
    text, used, unknown = dashboard.rewrite("<head>%s</head>" % tag)
    assert len(unknown) == 1 and unknown[0] in tag
    assert text == "<head>%s</head>" % tag and used == []


def _fake_share(root, skip=()):
    for _, package, path in dashboard.ASSETS:
        for p in [path] + dashboard.COMPANIONS.get(path, []):
            if package is not None and package not in skip:
                os.makedirs(os.path.dirname(os.path.join(root, p)), exist_ok=True)
                with open(os.path.join(root, p), "w") as fh:
                    fh.write("/* %s */" % p)


def test_localize_copies_what_the_pages_load(tmp_path):
    share, html = tmp_path / "share", tmp_path / "html"
    _fake_share(str(share))
    html.mkdir()
    (html / "index.html").write_text(ASV_HEAD)
    (html / "error.html").write_text('<img src="swallow.png">')
    assert sorted(os.path.basename(p) for p in dashboard.localize(str(html), str(share))) == [
        "error.html", "index.html"]
    page = (html / "index.html").read_text()
    assert "https://cdn" not in page and "https://code" not in page
    vendor = html / "vendor"
    assert (vendor / "javascript/jquery/jquery.min.js").read_text() == "/* javascript/jquery/jquery.min.js */"
    assert (vendor / "javascript/bootstrap/fonts/glyphicons-halflings-regular.woff2").exists()
    assert "bars.order" in (vendor / "dualtape/order_bars.js").read_text()
    assert not (vendor / "javascript/blueimp-md5").exists()          # copied only when loaded


def test_localize_names_the_debian_package_to_install(tmp_path):
    share, html = tmp_path / "share", tmp_path / "html"
    _fake_share(str(share), skip={"libghc-js-flot-data"})
    html.mkdir()
    (html / "index.html").write_text(ASV_HEAD)
    with pytest.raises(FileNotFoundError, match="apt-get install libghc-js-flot-data$"):
        dashboard.localize(str(html), str(share))
    assert (html / "index.html").read_text() == ASV_HEAD               # untouched on failure


def test_localize_refuses_an_unknown_remote_asset(tmp_path):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text('<script src="https://cdn.example.org/new.js"></script>')
    with pytest.raises(ValueError, match="index.html: https://cdn.example.org/new.js"):
        dashboard.localize(str(html), str(tmp_path))
