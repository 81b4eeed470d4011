"""``nd.save`` and ``nd.load``: NDArrays to and from a file.

File format (version 1)
-----------------------
An uncompressed numpy ``.npz`` archive (a zip file of ``.npy`` members,
whatever the file's name), written without pickle and read with
``allow_pickle=False``, so loading a file never runs code.  Its members:

``__dualtape__.npy``
    The header: a 1-D uint8 array holding UTF-8 JSON
    ``{"format": "dualtape.nd", "version": 1, "kind": "list" | "dict",
    "count": n, "names": [...]}``; ``names`` (the dict's keys, in order)
    only for a dict.
``0.npy`` ... ``<n-1>.npy``
    The arrays in order, each with its dtype (bool, an integer, float16,
    float32 or float64) and shape (0-d and empty arrays included).

A single NDArray is saved as a list of one and loads as one, as in MXNet.
The format is not MXNet's binary format: files are not interchangeable.
"""
import json
import os
import zipfile
import zlib

import numpy as np

from ._engine import NDArray, check_leave, wrap

FORMAT = "dualtape.nd"
VERSION = 1
_HEADER = "__dualtape__"


def _entries(data):
    """(kind, names, arrays) of what ``save`` accepts, or ``TypeError``."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        names = list(data)
        if not all(isinstance(k, str) for k in names):
            raise TypeError("nd.save: dict keys must be str, got %s"
                            % ", ".join(sorted({type(k).__name__ for k in names})))
        kind, arrays = "dict", [data[k] for k in names]
    elif isinstance(data, list):
        kind, names, arrays = "list", None, data
    else:
        raise TypeError("nd.save: data must be an NDArray, a list of NDArrays or a dict of "
                        "str to NDArray, got %s" % type(data).__name__)
    for a in arrays:
        if not isinstance(a, NDArray):
            raise TypeError("nd.save: every value must be an NDArray, got %s"
                            % type(a).__name__)
        check_leave(a, "nd.save")
    return kind, names, arrays


def save(fname, data):
    """Save an NDArray, a list of NDArrays or a dict of str to NDArray to
    the file ``fname`` (see the module docstring for the format).

    ``data`` is checked before the file is opened: invalid data leaves the
    file untouched.

    Parameters
    ----------
    fname : str or path-like
    data : NDArray, list of NDArray or dict of str to NDArray
    """
    kind, names, arrays = _entries(data)
    header = {"format": FORMAT, "version": VERSION, "kind": kind, "count": len(arrays)}
    if names is not None:
        header["names"] = names
    members = {_HEADER: np.frombuffer(json.dumps(header).encode("utf-8"), np.uint8)}
    members.update((str(i), a._data) for i, a in enumerate(arrays))
    with open(os.fspath(fname), "wb") as f:     # a file object: numpy adds no suffix
        np.savez(f, **members)


#: What zipfile and numpy raise on a damaged archive (flipped flag bits give
#: NotImplementedError or RuntimeError).
_DAMAGE = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError,
           zipfile.BadZipFile, zlib.error)


class _Invalid(ValueError):
    """A file that ``save`` did not write, or that was damaged since."""


def _member(archive, name):
    """One array of the archive; damage shows as ``_Invalid``."""
    if name not in archive.files:
        raise _Invalid("member %s is missing" % name)
    try:
        return archive[name]
    except _DAMAGE as e:
        raise _Invalid("member %s is damaged: %s" % (name, e)) from None


def _read(archive):
    """The kind, names and arrays held by an opened archive."""
    try:
        header = json.loads(_member(archive, _HEADER).tobytes().decode("utf-8"))
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _Invalid("no %s header (not written by nd.save)" % FORMAT)
    if header.get("version") != VERSION:
        raise _Invalid("format version %r (this dualtape reads version %d)"
                       % (header.get("version"), VERSION))
    count, kind, names = header.get("count"), header.get("kind"), header.get("names")
    if not (isinstance(count, int) and count >= 0 and kind in ("list", "dict")
            and (kind == "dict") == isinstance(names, list)
            and (names is None or (len(names) == count
                                   and all(isinstance(n, str) for n in names)))):
        raise _Invalid("inconsistent header %r" % (header,))
    arrays = []
    for i in range(count):
        a = _member(archive, str(i))
        if a.dtype.kind not in "biuf" or a.dtype.itemsize > 8:
            raise _Invalid("array %d has dtype %s" % (i, a.dtype))
        arrays.append(wrap(a))
    return kind, names, arrays


def load(fname):
    """Load what ``save`` wrote: a list of NDArrays, or a dict of str to
    NDArray (each array with the dtype and shape it was saved with).

    Parameters
    ----------
    fname : str or path-like

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        The file is truncated, corrupted or not one ``save`` wrote; the
        message names the file.
    """
    fname = os.fspath(fname)
    with open(fname, "rb") as f:
        try:
            if f.read(4) != b"PK\x03\x04":
                raise _Invalid("not an .npz (zip) archive")
            f.seek(0)
            try:
                archive = np.load(f, allow_pickle=False)
            except _DAMAGE as e:
                raise _Invalid("a damaged .npz archive (%s)" % e) from None
            with archive:
                kind, names, arrays = _read(archive)
        except _Invalid as e:
            raise ValueError("nd.load: %r is not a valid dualtape NDArray file: %s"
                             % (fname, e)) from None
    return dict(zip(names, arrays)) if kind == "dict" else arrays
