"""sysrep: Linux system-call traces as Python records, DataFrames and sequences.

Every reader of libsysrep (strace text in any flag combination, sysrep's JSON
Lines, protobuf, msgpack, its archive, sysdig/Falco .scap), compressed input
(zstd, gzip) included, behind five calls:

    read(src)        the JSON Lines records, as dicts
    frame(src)       a pandas DataFrame, one row per event
    read_csv(path)   the CSV "sysrep convert -t csv" wrote, with its dtypes
    sequences(src)   per-process syscall-number sequences (numpy arrays)
    windows(seq, k)  Hofmeyr/Forrest sliding windows (a 2-D array)
    lookahead_pairs(seq, k)  Forrest's lookahead pairs

``src`` is a path (str, bytes, os.PathLike) or a binary file object.  Errors
raise sysrep.Error subclasses with ``file``, ``line`` and ``column``.
"""

import numbers as _numbers
import os as _os

from ._sysrep import (Error, ParseError, FormatError, UsageError, FileError,
                      Records as _Records, version as __version__)
from . import _sysrep

__all__ = ["read", "frame", "read_csv", "CSV_DTYPES", "sequences", "windows", "lookahead_pairs", "convert",
           "Error", "ParseError", "FormatError", "UsageError", "FileError",
           "COLUMNS"]

#: The columns frame() gives by default, in order.
COLUMNS = ("type", "line", "pid", "time", "syscall", "nr", "return", "errno",
           "duration", "signal")


def _spell_time(t):
    if isinstance(t, str):
        return t
    if isinstance(t, _numbers.Real):
        return repr(float(t))
    raise TypeError("since/until: seconds (a number) or 'HH:MM:SS[.frac]'")


def _filters(trace=None, pid=None, failed=False, successful=False,
             since=None, until=None):
    """The filters of the CLI (-e trace=, --pid, --failed, --successful,
    --since, --until) as the strings the C side takes."""
    f = {}
    if trace is not None:
        f["trace"] = trace if isinstance(trace, str) else ",".join(trace)
    if pid is not None:
        pids = [pid] if isinstance(pid, (int, str)) else list(pid)
        f["pid"] = ",".join(str(int(p)) for p in pids)
    if failed and successful:
        raise UsageError("failed and successful exclude each other")
    if failed:
        f["status"] = "failed"
    elif successful:
        f["status"] = "successful"
    if since is not None:
        f["since"] = _spell_time(since)
    if until is not None:
        f["until"] = _spell_time(until)
    return f


def read(src, format=None, *, arch=None, options=None, progress=None, **filters):
    """Iterate over the events of a trace as dicts, each equal to json.loads
    of the record "sysrep convert -t jsonl" writes for it.

    format: a reader name ("strace", "jsonl", "pb", "msgpack", "archive",
    "scap"...); None detects it.  arch: the syscall table for "nr"
    (x86_64, i386, aarch64).  options: {KEY: VALUE} as with -O.
    progress: called as progress(bytes_read, events) after every batch.
    Filters: trace="openat,%file" (or a list), pid=N (or a list),
    failed=True, successful=True, since=T, until=T.

    The iterator is also a context manager; close() frees the input early.
    """
    return _Records(src, format, arch, _filters(**filters), options, progress)


def frame(src, columns=None, format=None, *, arch=None, options=None,
          progress=None, **filters):
    """A pandas DataFrame with one row per event (after the filters).

    Columns (sysrep.COLUMNS): type, syscall, signal, errno (category);
    line (int64); pid, nr, return (nullable Int64); time, duration (float
    seconds, NaN when absent).  The values are those of the JSON Lines
    record's keys of the same names ("time" of a resumed call is its start).
    columns: the columns wanted, in order; any other name is an argument
    column, holding each record's args[name] (args["argN"] or the N-th
    argument when the record's args is a list), None when absent.
    """
    import numpy as np
    import pandas as pd

    names = list(COLUMNS if columns is None else columns)
    argcols = [c for c in names if c not in COLUMNS]
    raw = _sysrep.frame_arrays(src, format, arch, _filters(**filters),
                               options, progress, argcols)
    data = {}
    if not names:  # no column, but still one row per event
        return pd.DataFrame(index=pd.RangeIndex(len(raw["line"][1]) // 8))
    for name in names:
        kind, *parts = raw[name]
        if kind == "int64":
            data[name] = np.frombuffer(parts[0], dtype=np.int64)
        elif kind == "float64":
            data[name] = np.frombuffer(parts[0], dtype=np.float64)
        elif kind == "Int64":
            values = np.frombuffer(parts[0], dtype=np.int64)
            mask = np.frombuffer(parts[1], dtype=np.bool_)
            data[name] = pd.arrays.IntegerArray(values, mask)
        elif kind == "category8":
            codes = np.frombuffer(parts[0], dtype=np.int8)
            data[name] = pd.Categorical.from_codes(codes, categories=parts[1])
        elif kind == "category":
            codes = np.frombuffer(parts[0], dtype=np.int32)
            data[name] = pd.Categorical.from_codes(codes, categories=parts[1])
        else:
            col = np.empty(len(parts[0]), dtype=object)
            col[:] = parts[0]
            data[name] = col
    del raw
    # a dict in column order, and neither index nor columns given: pandas
    # then wraps the arrays as they are (with columns=, it copies them)
    return pd.DataFrame(data, copy=False)


#: The pandas dtype of each column the CSV writer can write (docs/json-input.md).
#: Any other column (an argument's name: pathname, flags...) is text.
CSV_DTYPES = {
    "line": "Int64", "pid": "Int64", "nr": "Int64", "return": "Int64",
    "time": "float64", "duration": "float64",
    "type": "category", "syscall": "category", "signal": "category",
    "errno": "category",
    "errmsg": "object", "arg0": "object", "arg1": "object", "arg2": "object",
    "arg3": "object", "arg4": "object", "arg5": "object", "args": "object",
    "truncated": "object", "text": "object",
}


def read_csv(path, **kwargs):
    """pandas.read_csv of a CSV "sysrep convert -t csv" wrote, with the
    dtype of every column it writes (CSV_DTYPES), whatever rows the file
    holds: pid, nr, return and line are nullable Int64 (a signal, an exit,
    an unfinished call or "= ?" has none there: <NA>, not a float NaN);
    time and duration float64 seconds (NaN when absent); type, syscall,
    signal and errno category; the others text.  Only an empty cell is
    absent: "NULL", "NA" or "nan" in an argument stay the text strace
    printed (pandas' default would turn them into NaN).  An empty
    argument column cell is None.

    kwargs go to pandas.read_csv (usecols, nrows, chunksize...); a dtype
    given there overrides the one for its column.
    """
    import pandas as pd

    head = pd.read_csv(path, nrows=0, **{k: v for k, v in kwargs.items()
                                         if k in ("sep", "encoding", "compression")})
    dtype = {c: CSV_DTYPES.get(c, "object") for c in head.columns}
    dtype.update(kwargs.pop("dtype", None) or {})
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("na_values", [""])
    return pd.read_csv(path, dtype=dtype, **kwargs)


def sequences(src, arch="x86_64", by="pid", format=None, *, options=None,
              progress=None, **filters):
    """{process: numpy int64 array of syscall numbers}, in order of each
    process's first call, as "sysrep convert -t seq --by BY --arch ARCH"
    makes them (docs/seq.md): by="pid" joins threads into their process,
    "tid" keeps one sequence per thread; a call counts where it started.
    Keys are pids; the K-th process of a reused pid is the str "PID-K"."""
    import numpy as np

    out, seen = {}, {}
    for pid, buf in _sysrep.sequences(src, format, arch, by, _filters(**filters),
                                      options, progress):
        k = seen.get(pid, 0) + 1
        seen[pid] = k
        out[pid if k == 1 else f"{pid}-{k}"] = np.frombuffer(buf, dtype=np.int64)
    return out


def windows(seq, k):
    """The Hofmeyr/Forrest sliding windows of length k over seq: a 2-D
    array of shape (len(seq) - k + 1, k), row i = seq[i:i+k] (no rows when
    seq is shorter than k)."""
    import numpy as np

    seq = np.asarray(seq)
    if k < 1:
        raise UsageError(f"window length must be >= 1, not {k}")
    if len(seq) < k:
        return np.empty((0, k), dtype=seq.dtype)
    return np.lib.stride_tricks.sliding_window_view(seq, k).copy()


def lookahead_pairs(seq, k):
    """Forrest's lookahead pairs for window length k: a 2-D array of rows
    (call, next, distance), for every position i and distance d = 1..k-1
    with i + d < len(seq), next = seq[i+d]; in order of i, then d.  The
    distinct rows are the normal profile of the lookahead-pairs method
    (np.unique(pairs, axis=0))."""
    import numpy as np

    seq = np.asarray(seq, dtype=np.int64)
    if k < 2:
        raise UsageError(f"lookahead pairs need k >= 2, not {k}")
    n = len(seq)
    idx = np.arange(n)
    parts = []
    for d in range(1, k):
        if d >= n:
            break
        parts.append(np.stack([idx[:n - d], np.full(n - d, d)], axis=1))
    if not parts:
        return np.empty((0, 3), dtype=np.int64)
    pos = np.concatenate(parts)
    order = np.lexsort((pos[:, 1], pos[:, 0]))
    pos = pos[order]
    i, d = pos[:, 0], pos[:, 1]
    return np.stack([seq[i], seq[i + d], d.astype(seq.dtype)], axis=1)


def convert(src, dst=None, to=None, format=None, *, strict=False, keep_going=False,
            zstd=None, threads=0, options=None, columns=None, arch=None, merge=False,
            recursive=False, jobs=1, chunk=None, progress=None, **filters):
    """"sysrep convert": src (a path or a list of paths, in order) into dst.

    dst: a path (written under a temporary name and renamed into place
    once complete), a binary file object, or None: the output is then
    returned as bytes under "output".  to: the writer ("jsonl", "pb",
    "msgpack", "csv", "strace", "seq", "archive", views "tree", "report",
    ...); None: from dst's extension (x.jsonl.zst too), else jsonl.
    format: the reader (-f); None detects it per input.

    The CLI's options: strict, keep_going, zstd (True or a level 1-22;
    also when dst ends in .zst), threads (zstd workers), options ({KEY:
    VALUE}, -O), columns (csv), arch, merge (strace -ff files), recursive
    (src a directory, dst the output directory: corpus mode), jobs, chunk,
    and the filters of read().  progress(bytes_read, events) after every
    batch.

    Returns the counts: lines, events, unparsed, verbatim, attached,
    bytes_in, bytes_out, kinds, failures (the errors keep_going passed
    over), output (dst None); corpus mode adds files, inputs, failed,
    skipped and skipped_files: [(path, why)] of the files that are not
    traces (not converted; format= reads every file, skipping none).
    Raises sysrep.Error; with strict, ParseError once the output is whole.
    """
    if isinstance(src, (str, bytes, _os.PathLike)):
        srcs = [src]
    else:
        srcs = list(src)
    opts = dict(options or {})
    if columns is not None:
        opts["columns"] = columns if isinstance(columns, str) else ",".join(columns)
    if arch is not None:
        opts["arch"] = arch
    if zstd is None or zstd is False:
        level = 0
    elif zstd is True:
        level = 3
    else:
        level = int(zstd)
        if not 1 <= level <= 22:
            raise UsageError(f"zstd level {level} out of range (1-22)")
    return _sysrep.convert(srcs, dst, to, format, bool(strict), bool(keep_going), level,
                           int(threads), opts, _filters(**filters), bool(merge),
                           bool(recursive), int(jobs), int(chunk or 0), progress)
