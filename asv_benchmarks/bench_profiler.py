"""What the profiler costs on the W7 scalar tape: nothing once stopped, and
how much while it runs."""
import time

from dualtape import bench as W
from dualtape import profiler

NOPS = 10000


def _per_op(step, repeats=7):
    """The best of ``repeats`` runs of ``step``, in microseconds per op of CPU
    time (which other processes on a shared machine disturb less than the
    wall clock)."""
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        step()
        times.append(time.process_time() - t0)
    return min(times) / NOPS * 1e6


class Tape:
    """W7 (``NOPS`` shape-(1,) float64 ops recorded, then one backward pass)
    with the profiler never started, started then stopped (the engine's
    callback is gone again: the same time as never) or running (aggregate
    statistics only, no trace kept)."""

    params = ["never", "stopped", "running"]
    param_names = ["profiler"]

    def setup(self, state):
        self.step = W.dt_tape(NOPS, W.data_tape(NOPS))
        if state != "never":
            profiler.set_state("run")
        if state == "stopped":
            profiler.set_state("stop")

    def teardown(self, state):
        profiler.set_state("stop")
        profiler.dumps(reset=True)

    def time_record_backward(self, state):
        """Record ``NOPS`` ops and backpropagate through them."""
        self.step()

    def track_per_op(self, state):
        """The best of 7 runs of (record + backward) / ``NOPS``."""
        return _per_op(self.step)

    track_per_op.unit = "us/op"


class Ratio:
    """Per-op time in one state of the profiler over the time in another, both
    measured in one process (asv runs each benchmark in a fresh one)."""

    def setup(self):
        self.step = W.dt_tape(NOPS, W.data_tape(NOPS))
        self.step()

    def teardown(self):
        profiler.set_state("stop")
        profiler.dumps(reset=True)

    def track_stopped_over_never(self):
        """About 1: a stopped profiler leaves nothing in the engine."""
        never = _per_op(self.step, 10)
        profiler.set_state("run")
        profiler.set_state("stop")
        return _per_op(self.step, 10) / never

    def track_running_over_stopped(self):
        """The slowdown while the profiler runs (two events per op here: its
        forward and its VJP rule); the runs alternate, best of 10 each."""
        stopped, running = [], []
        for _ in range(10):
            stopped.append(_per_op(self.step, 1))
            profiler.set_state("run")
            running.append(_per_op(self.step, 1))
            profiler.set_state("stop")
        return min(running) / min(stopped)

    track_stopped_over_never.unit = "ratio"
    track_running_over_stopped.unit = "ratio"
