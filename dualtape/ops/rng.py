"""The random stream behind ``nd.random`` and the ops that draw from it
(``Dropout``): one numpy ``Generator`` per thread, reseeded by ``seed``."""
import threading

import numpy as np

_local = threading.local()


def generator():
    """This thread's generator (seeded from the OS until ``seed`` is called)."""
    gen = getattr(_local, "gen", None)
    if gen is None:
        gen = _local.gen = np.random.default_rng()
    return gen


def seed(seed_state):
    """Reseed this thread's generator: the same seed gives the same stream."""
    _local.gen = np.random.default_rng(int(seed_state))
