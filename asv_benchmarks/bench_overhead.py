"""Per-op overhead: the seed step (W1) and a long scalar tape (W7, W8)."""
import time

import numpy as np

from dualtape import bench as W


class Seed:
    """W1: ``y = 2 * nd.dot(x, x)`` on ``arange(4)`` float32, recorded, then
    ``y.backward()``: almost pure per-op bookkeeping."""

    def setup(self):
        self.data = W.data_seed()
        self.step = W.dt_seed(None, self.data)

    def time_record_backward(self):
        """One recorded forward pass plus backward (dualtape facade)."""
        self.step()

    def time_numpy_forward(self):
        """numpy baseline: the forward pass only."""
        W.f_seed(W.NP, self.data["x"])


class Tape:
    """W7: a Python loop of ``nops`` shape-(1,) float64 ops (the cycle ``*1.0001,
    +0.001, sin, -0.001, tanh``), recorded, then one backward pass.

    Parameters
    ----------
    nops : int
        Number of recorded ops (a multiple of 5).
    """

    params = [10000]
    param_names = ["nops"]

    def setup(self, nops):
        self.data = W.data_tape(nops)
        self.step = W.dt_tape(nops, self.data)

    def time_record_backward(self, nops):
        """Record ``nops`` ops and backpropagate through them."""
        self.step()

    def time_numpy_forward(self, nops):
        """numpy baseline: the same ops, forward only, no tape."""
        W.f_tape(W.NP, self.data["x"], nops)

    def track_per_op(self, nops):
        """Median over 3 runs of (record + backward) / ``nops``, in microseconds."""
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            self.step()
            times.append(time.perf_counter() - t0)
        return float(np.median(times)) / nops * 1e6

    track_per_op.unit = "us/op"


class TapeMemory:
    """W8: peak memory while a 10**5-op scalar tape is recorded and alive."""

    timeout = 120

    def setup(self):
        self.record = W.dt_tape_record(100000)

    def peakmem_record_1e5(self):
        """Record 100,000 ops and hold the tape (no backward)."""
        self.tape = self.record()

    def teardown(self):
        self.tape = None
