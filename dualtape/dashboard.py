"""``python -m dualtape dashboard [--config asv.conf.json]``: publish the asv
dashboard so that it works without internet access.

asv 0.6's pages load jQuery, Flot (0.8.3 and four plugins), Bootstrap 3,
stupidtable and blueimp-md5 from public CDNs, so the published HTML stays blank
offline.  This command runs ``asv publish``, copies the same libraries from
Debian's packages into ``<html_dir>/vendor/`` and points every ``<script>``,
``<link>`` and ``<img>`` that loads a remote file at the local copy (dropping
the ``integrity`` hash, which names the CDN's bytes).  A remote asset with no
local copy is an error, never a silently blank page; links that a reader
follows (``<a href>``) stay as they are.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

#: Where Debian installs the packages' files.
SHARE = "/usr/share"

#: (regular expression on a remote URL, Debian package, its file that replaces it).
ASSETS = [
    (r"/jquery-3[\d.]*(\.min)?\.js$", "libjs-jquery", "javascript/jquery/jquery.min.js"),
    (r"/flot/0\.8\.3/jquery\.flot\.min\.js$", "libghc-js-flot-data",
     "haskell-js-flot/jquery.flot.min.js"),
    (r"/flot/0\.8\.3/jquery\.flot\.time\.min\.js$", "libghc-js-flot-data",
     "haskell-js-flot/jquery.flot.time.min.js"),
    (r"/flot/0\.8\.3/jquery\.flot\.selection\.min\.js$", "libghc-js-flot-data",
     "haskell-js-flot/jquery.flot.selection.min.js"),
    (r"/flot/0\.8\.3/jquery\.flot\.categories\.min\.js$", "libghc-js-flot-data",
     "haskell-js-flot/jquery.flot.categories.min.js"),
    (r"/stupidtable/1\.[\d.]+/stupidtable(\.min)?\.js$", "libjs-jquery-stupidtable",
     "javascript/jquery-stupidtable/stupidtable.min.js"),
    (r"/blueimp-md5/2\.[\d.]+/js/md5(\.min)?\.js$", "node-blueimp-md5",
     "javascript/blueimp-md5/md5.min.js"),
    (r"/bootstrap@3\.[\d.]+/dist/js/bootstrap\.min\.js$", "libjs-bootstrap",
     "javascript/bootstrap/js/bootstrap.min.js"),
    (r"/bootstrap@3\.[\d.]+/dist/css/bootstrap\.min\.css$", "libjs-bootstrap",
     "javascript/bootstrap/css/bootstrap.min.css"),
    (r"/jquery\.flot\.orderBars\.js$", None, "dualtape/order_bars.js"),
]

#: Files that a copied file loads in turn (bootstrap's CSS: its glyph font).
COMPANIONS = {
    "javascript/bootstrap/css/bootstrap.min.css": [
        "javascript/bootstrap/fonts/glyphicons-halflings-regular." + ext
        for ext in ("eot", "svg", "ttf", "woff", "woff2")],
}

#: No Debian package carries Flot 0.8's orderBars plugin; asv only uses it to set the
#: bars of several series side by side when a parameter is the x axis.  This
#: plugin does that: bar ``order`` k of n moves by ``(k - (n-1)/2) * barWidth``.
ORDER_BARS_JS = """\
/* dualtape: side-by-side bars for Flot 0.8 series with a bars.order option. */
(function ($) {
    function shift(plot, series, datapoints) {
        if (!series.bars.show || series.bars.order == null) {
            return;
        }
        var n = $.grep(plot.getData(), function (s) { return s.bars.order != null; }).length;
        var dx = (series.bars.order - (n - 1) / 2) * series.bars.barWidth;
        var points = datapoints.points, step = datapoints.pointsize;
        for (var i = 0; i < points.length; i += step) {
            if (points[i] != null) {
                points[i] += dx;
            }
        }
    }
    $.plot.plugins.push({
        init: function (plot) { plot.hooks.processDatapoints.push(shift); },
        name: "dualtape-order-bars", version: "1.0"
    });
})(jQuery);
"""

VENDOR = "vendor"

#: Tags that load what their src/href names (an <a href> is only followed).
_LOADING_TAG = re.compile(r"<(script|link|img|iframe|source|embed)\b[^>]*>", re.I)
_URL_ATTR = re.compile(r"""\b(src|href)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
_CDN_ATTR = re.compile(r"""\s+(integrity|crossorigin|referrerpolicy)(\s*=\s*(["']).*?\3)?""", re.I | re.S)
_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


def local_asset(url):
    """The (package, file under ``SHARE``) that replaces remote ``url``, or None."""
    for pattern, package, path in ASSETS:
        if re.search(pattern, url):
            return package, path
    return None


def rewrite(html):
    """Point the remote assets that ``html`` loads at ``vendor/``.

    Returns
    -------
    text : str
        The page, its remote ``src``/``href`` of loading tags replaced by local
        paths and their CDN attributes (``integrity``, ``crossorigin``,
        ``referrerpolicy``) removed.
    used : list of (package, path)
        The local files the page now needs.
    unknown : list of str
        Remote URLs with no local copy (left as they were).
    """
    used, unknown = [], []

    def tag(m):
        text = m.group(0)
        url = _URL_ATTR.search(text)
        if not url or not _REMOTE.match(url.group(3)):
            return text
        asset = local_asset(url.group(3))
        if asset is None:
            unknown.append(url.group(3))
            return text
        used.append(asset)
        text = text[:url.start(3)] + VENDOR + "/" + asset[1] + text[url.end(3):]
        return _CDN_ATTR.sub("", text)

    return _LOADING_TAG.sub(tag, html), used, unknown


def copy_assets(used, html_dir, share=SHARE):
    """Copy each used file (and its companions) to ``html_dir/vendor/``.

    Raises
    ------
    FileNotFoundError
        Naming the Debian packages to install when a file is missing.
    """
    files = {}
    for package, path in used:
        for p in [path] + COMPANIONS.get(path, []):
            files[p] = package
    missing = sorted({pkg for p, pkg in files.items()
                      if pkg is not None and not os.path.isfile(os.path.join(share, p))})
    if missing:
        raise FileNotFoundError("the offline dashboard copies its scripts from Debian's packages: "
                                "apt-get install %s" % " ".join(missing))
    for path, package in files.items():
        dest = os.path.join(html_dir, VENDOR, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if package is None:
            with open(dest, "w") as fh:
                fh.write(ORDER_BARS_JS)
        else:
            shutil.copyfile(os.path.join(share, path), dest)   # follows Debian's symlinks


def localize(html_dir, share=SHARE):
    """Rewrite every ``.html`` page under ``html_dir`` and copy what they load.

    Returns
    -------
    list of str
        The pages rewritten.

    Raises
    ------
    ValueError
        When a page loads a remote asset that has no local copy.
    """
    pages, used, unknown = {}, [], []
    for root, _, names in os.walk(html_dir):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as fh:
                    text, u, k = rewrite(fh.read())
                pages[path] = text
                used += u
                unknown += ["%s: %s" % (os.path.relpath(path, html_dir), url) for url in k]
    if unknown:
        raise ValueError("no local copy of these remote assets (add them to "
                         "dualtape.dashboard.ASSETS):\n  " + "\n  ".join(unknown))
    copy_assets(used, html_dir, share)
    for path, text in pages.items():
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return sorted(pages)


def html_dir_of(config):
    """``html_dir`` of the asv configuration file ``config``, as a path."""
    from asv.config import Config
    return os.path.join(os.path.dirname(os.path.abspath(config)), Config.load(config).html_dir)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dualtape dashboard",
                                 description=" ".join(__doc__.split("\n\n")[0].split()).split("``: ", 1)[1])
    ap.add_argument("--config", default="asv.conf.json", help="asv configuration (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        import asv  # noqa: F401
    except ImportError:
        print('dualtape dashboard needs asv: pip install "dualtape[bench]"', file=sys.stderr)
        return 1
    if not os.path.isfile(args.config):
        print("dualtape dashboard: no %s here; run it from the repository root" % args.config,
              file=sys.stderr)
        return 2
    done = subprocess.run([sys.executable, "-m", "asv", "publish", "--config", args.config])
    if done.returncode:
        return done.returncode
    html_dir = html_dir_of(args.config)
    try:
        pages = localize(html_dir)
    except (ValueError, FileNotFoundError) as e:
        print("dualtape dashboard: %s" % e, file=sys.stderr)
        return 1
    print("offline dashboard in %s (%d pages, scripts under %s/); serve it with "
          "`asv preview` or any static web server" % (html_dir, len(pages), VENDOR))
    return 0
