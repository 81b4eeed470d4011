"""``dualtape.profiler``: where the time of a program goes, op by op.

Shaped like MXNet 1.x's ``mx.profiler``: ``set_config``, ``set_state('run')``
and ``set_state('stop')``, ``pause``/``resume``, ``dumps()`` for a table of
aggregate statistics and ``dump()`` for a trace file in the Chrome
trace-event format (open it in Perfetto or ``chrome://tracing``).
``with profiler.run(): ...`` profiles a block.

Every op's primal (phase ``forward``), JVP rule (``jvp``; a fused first-order
path computes the value too) and VJP rule in a backward walk (``vjp``) is
timed apart, with the bytes of the arrays it returned.  Rules call other ops:
an event's *total* time includes them, its *self* time does not.

While the profiler is stopped or paused no callback is installed in the
engine, so it costs nothing.  Events of each thread keep their own nesting
and land on their own ``tid`` in the trace.
"""
import collections
import contextlib
import json
import os
import threading

from . import _engine

__all__ = ["set_config", "set_state", "state", "pause", "resume", "run", "dumps", "dump",
           "PHASES"]

PHASES = ("forward", "jvp", "vjp")

#: MXNet's switches for what to profile: accepted so that MXNet scripts run,
#: without effect (dualtape has only imperative ops, always with their bytes).
_MXNET_SWITCHES = ("profile_all", "profile_symbolic", "profile_imperative",
                   "profile_memory", "profile_api")

#: Completed events a thread keeps to find the children of the events still
#: running; past this many siblings in one rule the oldest are forgotten (and
#: their time counts as that rule's own).
_MAX_PENDING = 1 << 14

_SORT_KEYS = {"total": 1, "self": 2, "avg": None, "min": 3, "max": 4, "count": 0, "bytes": 5}


class _Thread:
    """One thread's buffers, written by that thread only.

    ``pending`` holds ``(start, total)`` of the events it completed whose
    caller may still be running, oldest first; ``stats`` maps phase -> op ->
    ``[count, total, self, min, max, bytes]`` (times in ns); ``events`` holds
    ``(phase, name, start, total, self, bytes)`` for the trace.
    """

    __slots__ = ("tid", "name", "thread", "pending", "stats", "events")

    def __init__(self):
        self.tid = threading.get_native_id()
        self.thread = threading.current_thread()
        self.name = self.thread.name
        self.pending = collections.deque(maxlen=_MAX_PENDING)
        self.stats = {p: {} for p in PHASES}
        self.events = []


class _Profiler:
    """The profiler's state; the module's functions are its methods.

    The callback takes no lock: each thread writes only its own buffers, and
    readers copy them whole (one C call each, atomic under the GIL), so a read
    while the profiler runs may miss the event being recorded at that moment.
    """

    def __init__(self):
        self._lock = threading.Lock()       # the list of threads
        self._switch = threading.RLock()    # state and configuration changes
        self._state = "stop"
        self._previous = None               # the engine's callback before ours
        self._filename = None
        self._aggregate = True
        self._local = threading.local()     # .me: this thread's _Thread
        self._threads = []                  # every _Thread with something kept

    # ---------------------------------------------------------- state ---

    def set_config(self, filename=None, aggregate_stats=True, **kwargs):
        """Configure the profiler; each call sets the whole configuration
        (what it does not name goes back to its default).

        Parameters
        ----------
        filename : str, optional
            Trace file that ``dump()`` writes.  Events are kept for it only
            while a filename is set (``None``, the default, keeps none).
        aggregate_stats : bool
            Keep the per-op statistics of ``dumps()`` (default True).
        profile_all, profile_symbolic, profile_imperative, profile_memory, profile_api : bool
            Accepted for MXNet scripts; no effect.
        """
        for key, value in kwargs.items():
            if key not in _MXNET_SWITCHES:
                raise TypeError("set_config got an unexpected keyword %r; it takes filename, "
                                "aggregate_stats and MXNet's %s"
                                % (key, ", ".join(_MXNET_SWITCHES)))
            _check_bool(key, value)
        _check_bool("aggregate_stats", aggregate_stats)
        if filename is not None and not isinstance(filename, (str, os.PathLike)):
            raise TypeError("filename must be a path or None, got %s" % type(filename).__name__)
        with self._switch:
            self._filename = filename
            self._aggregate = aggregate_stats

    def set_state(self, state="stop"):
        """``'run'`` installs the profiler in the engine (and resumes it when
        paused); ``'stop'`` puts back the callback that was there before.
        Setting the current state again does nothing."""
        if state not in ("run", "stop"):
            raise ValueError("profiler state must be 'run' or 'stop', got %r" % (state,))
        with self._switch:
            if state == "run" and self._state == "stop":
                self._previous = _engine.set_profiler(self._record)
            elif state == "run" and self._state == "pause":
                _engine.set_profiler(self._record)
            elif state == "stop" and self._state != "stop":
                if self._state == "run":
                    _engine.set_profiler(self._previous)
                self._previous = None
                with self._lock:
                    for t in self._threads:
                        t.pending.clear()
            self._state = state

    def state(self):
        """``'run'``, ``'pause'`` or ``'stop'``."""
        return self._state

    def pause(self):
        """Stop collecting events until ``resume()``, keeping what was
        collected (the engine's previous callback is back meanwhile)."""
        with self._switch:
            if self._state != "run":
                raise RuntimeError("pause() needs a running profiler; its state is %r"
                                   % self._state)
            _engine.set_profiler(self._previous)
            self._state = "pause"

    def resume(self):
        """Collect events again after ``pause()``."""
        with self._switch:
            if self._state != "pause":
                raise RuntimeError("resume() needs a paused profiler; its state is %r"
                                   % self._state)
            _engine.set_profiler(self._record)
            self._state = "run"

    @contextlib.contextmanager
    def run(self):
        """Profile the ``with`` block, then return to the state before it."""
        before = self._state
        self.set_state("run")
        try:
            yield
        finally:
            if before == "stop":
                self.set_state("stop")
            elif before == "pause":
                self.pause()

    # ------------------------------------------------------ the callback ---

    def _record(self, phase, name, start, end, nbytes):
        """The engine's callback: one op or rule has just returned."""
        try:
            me = self._local.me
        except AttributeError:
            me = self._local.me = self._new_thread()
        total = end - start
        # The events this one called completed before it, and started after it.
        pending = me.pending
        children = 0
        while pending and pending[-1][0] >= start:
            children += pending.pop()[1]
        pending.append((start, total))
        own = total - children
        if self._aggregate:
            ops = me.stats[phase]
            s = ops.get(name)
            if s is None:
                ops[name] = [1, total, own, total, total, nbytes]
            else:
                s[0] += 1
                s[1] += total
                s[2] += own
                if total < s[3]:
                    s[3] = total
                elif total > s[4]:
                    s[4] = total
                s[5] += nbytes
        if self._filename is not None:
            me.events.append((phase, name, start, total, own, nbytes))

    def _new_thread(self):
        """The calling thread's buffers, made on its first event."""
        me = _Thread()
        with self._lock:
            self._threads.append(me)
        return me

    def _drop_finished_threads(self):
        """Forget the threads that ended and left nothing to report."""
        self._threads = [t for t in self._threads if t.thread.is_alive() or t.events
                         or any(t.stats.values())]

    # ---------------------------------------------------------- output ---

    def dumps(self, reset=False, format="table", sort_by="total", ascending=False):  # noqa: A002
        """The aggregate statistics, per phase and op, as a table or JSON.

        Parameters
        ----------
        reset : bool
            Clear the statistics after reading them.
        format : {'table', 'json'}
            JSON maps phase -> op -> ``Count``, ``Total``, ``Self``, ``Avg``,
            ``Min``, ``Max`` (milliseconds) and ``Bytes``.
        sort_by : {'total', 'self', 'avg', 'min', 'max', 'count', 'bytes'}
            Order of the ops within each phase.
        ascending : bool

        Notes
        -----
        ``Total`` includes the ops an op or rule called, ``Self`` does not;
        ``Avg``, ``Min`` and ``Max`` are of the total time of one call.
        ``Bytes`` adds up the arrays each call returned.
        """
        if format not in ("table", "json"):
            raise ValueError("format must be 'table' or 'json', got %r" % (format,))
        if sort_by not in _SORT_KEYS:
            raise ValueError("sort_by must be one of %s, got %r"
                             % (", ".join(map(repr, _SORT_KEYS)), sort_by))
        _check_bool("reset", reset)
        _check_bool("ascending", ascending)
        merged = {p: {} for p in PHASES}
        with self._lock:
            for t in self._threads:
                stats = t.stats
                if reset:
                    t.stats = {p: {} for p in PHASES}
                for phase, ops in stats.items():
                    _merge(merged[phase], dict(ops))
            if reset:
                self._drop_finished_threads()
        index = _SORT_KEYS[sort_by]
        rows = {phase: sorted(merged[phase].items(), reverse=not ascending,
                              key=lambda r: r[1][1] / r[1][0] if index is None else r[1][index])
                for phase in PHASES}
        if format == "json":
            return json.dumps({phase: {name: _record_json(s) for name, s in rows[phase]}
                               for phase in PHASES}, indent=1)
        return _table(rows)

    def dump(self, finished=True):
        """Write the trace to the file given to ``set_config``.

        Parameters
        ----------
        finished : bool
            Stop the profiler and drop the events written (default); with
            False it keeps running and the next dump writes them again.
        """
        _check_bool("finished", finished)
        if self._filename is None:
            raise RuntimeError("no trace file: call set_config(filename=...) before "
                               "profiling, then dump()")
        if finished:
            self.set_state("stop")
        with self._lock:
            threads = [(t.tid, t.name, list(t.events)) for t in self._threads]
            if finished:
                for t in self._threads:
                    t.events = []
                self._drop_finished_threads()
        with open(self._filename, "w") as f:
            json.dump(_trace(threads), f)


def _check_bool(name, value):
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))


def _merge(into, ops):
    """Add one thread's statistics ``ops`` (name -> record) to ``into``."""
    for name, s in ops.items():
        m = into.get(name)
        if m is None:
            into[name] = list(s)
        else:
            into[name] = [m[0] + s[0], m[1] + s[1], m[2] + s[2], min(m[3], s[3]),
                          max(m[4], s[4]), m[5] + s[5]]


def _record_json(s):
    count, total, own, lo, hi, nbytes = s
    return {"Count": count, "Total": total / 1e6, "Self": own / 1e6, "Avg": total / count / 1e6,
            "Min": lo / 1e6, "Max": hi / 1e6, "Bytes": nbytes}


_COLUMNS = ("Calls", "Total (ms)", "Self (ms)", "Avg (ms)", "Min (ms)", "Max (ms)", "Bytes")


def _table(rows):
    """MXNet-style text: one section per phase that saw events."""
    lines = ["", "Profile Statistics (dualtape):",
             "\tSelf time excludes the ops that an op or rule called."]
    for phase in PHASES:
        if not rows[phase]:
            continue
        width = max(24, *(len(name) + 2 for name, _ in rows[phase]))
        lines += ["", phase, "=" * len(phase),
                  "Name".ljust(width) + "".join(c.rjust(14) for c in _COLUMNS),
                  "----".ljust(width) + "".join(("-" * len(c)).rjust(14) for c in _COLUMNS)]
        for name, (count, total, own, lo, hi, nbytes) in rows[phase]:
            cells = ["%d" % count] + ["%.4f" % (t / 1e6) for t in (total, own, total / count,
                                                                    lo, hi)] + ["%d" % nbytes]
            lines.append(name.ljust(width) + "".join(c.rjust(14) for c in cells))
    return "\n".join(lines) + "\n"


def _trace(threads):
    """Chrome trace-event JSON for ``threads``, a list of (tid, name, events):
    one complete ("X") event per op or rule, times in microseconds, each
    caller before the ops it called."""
    pid = os.getpid()
    out = [{"name": "process_name", "ph": "M", "pid": pid, "tid": 0,
            "args": {"name": "dualtape"}}]
    for tid, name, events in threads:
        if events:
            out.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                        "args": {"name": name}})
        for phase, op, start, total, own, nbytes in sorted(events, key=lambda e: (e[2], -e[3])):
            out.append({"name": op, "cat": phase, "ph": "X", "pid": pid, "tid": tid,
                        "ts": start / 1e3, "dur": total / 1e3,
                        "args": {"phase": phase, "bytes": nbytes, "self_us": own / 1e3}})
    return {"traceEvents": out, "displayTimeUnit": "ms"}


_PROFILER = _Profiler()
set_config = _PROFILER.set_config
set_state = _PROFILER.set_state
state = _PROFILER.state
pause = _PROFILER.pause
resume = _PROFILER.resume
run = _PROFILER.run
dumps = _PROFILER.dumps
dump = _PROFILER.dump
