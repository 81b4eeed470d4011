"""Soak: resident memory stays flat over many record/backward cycles and many
forward levels (a leak of arrays, tape nodes or tangents shows as growth).

Each ``track_`` method runs its cycles once and reports the growth of the
process's resident set in MiB between the first tenth of the cycles and the
end; it raises (failing the asv run, and so CI) past ``LIMIT_MIB``.
"""
import resource
import sys

import numpy as np

import dualtape as dt
from dualtape import _engine, autograd, nd

#: Growth that counts as a leak: 100,000 leaked arrays of 16 bytes of data
#: alone would be about 10 MiB.
LIMIT_MIB = 8.0


def _rss_mib():
    """Resident set now (Linux /proc), else the peak (ru_maxrss)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() / 2 ** 20
    except OSError:
        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2 ** 20


def _growth(step, cycles):
    """Run ``step`` ``cycles`` times; RSS growth (MiB) after the warm-up tenth."""
    warm = cycles // 10
    for _ in range(warm):
        step()
    base, objects = _rss_mib(), sum(_engine.live_objects())
    for _ in range(cycles - warm):
        step()
    growth = _rss_mib() - base
    leaked = sum(_engine.live_objects()) - objects
    if growth > LIMIT_MIB or leaked > 16:
        raise RuntimeError("memory grew by %.1f MiB (%d arrays/nodes) over %d cycles"
                           % (growth, leaked, cycles - warm))
    return growth


class Soak:
    """100,000 cycles of each kind of use."""

    timeout = 600
    number = 1
    repeat = 1

    def setup(self):
        self.x = nd.array(np.linspace(-1.0, 1.0, 8), dtype="float64")
        self.x.attach_grad()

    def track_record_backward_rss_growth(self):
        """Record a few ops and backpropagate, 100,000 times."""
        x = self.x

        def step():
            with autograd.record():
                y = (nd.tanh(x) * x + nd.sin(x)).sum()
            y.backward()
        return _growth(step, 100_000)

    track_record_backward_rss_growth.unit = "MiB"

    def track_forward_level_rss_growth(self):
        """Open a forward level, attach a tangent, push it through, 100,000 times."""
        x = self.x

        def step():
            with dt.forward_level():
                x.attach_tangent(nd.ones(8, dtype="float64"))
                (nd.tanh(x) * x).sum()
        return _growth(step, 100_000)

    track_forward_level_rss_growth.unit = "MiB"
