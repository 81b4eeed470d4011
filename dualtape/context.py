"""Devices.  dualtape computes on the CPU; ``Context`` exists so that MXNet code
that passes ``ctx=`` or prints ``x.context`` runs unchanged."""


class Context:
    """A device: always ``cpu(0)``."""

    def __init__(self, device_type="cpu", device_id=0):
        if device_type != "cpu":
            raise ValueError("dualtape runs on the CPU only, got device %r" % device_type)
        self.device_type = device_type
        self.device_id = device_id

    def __repr__(self):
        return "%s(%d)" % (self.device_type, self.device_id)

    def __eq__(self, other):
        return isinstance(other, Context) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))


def cpu(device_id=0):
    """The CPU context."""
    return Context("cpu", device_id)
