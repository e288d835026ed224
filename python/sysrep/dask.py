"""sysrep.dask: a corpus of traces as one dask DataFrame.

    import sysrep.dask
    ddf = sysrep.dask.read_traces("corpus/*.strace")
    ddf.groupby("syscall", observed=True).size().compute()

One partition per file, or per piece of a strace text file larger than
piece_bytes: each is sysrep.frame() of that file or piece, built where the
task runs (the workers need the sysrep module and the files at the same
paths: a shared or copied file system).  Works with dask's local schedulers
and with a distributed cluster, one machine or many (docs/python.md).
"""

import glob as _glob
import os as _os

import dask.dataframe as _dd
from dask.dataframe.utils import clear_known_categories as _clear_categories

import sysrep as _sysrep

__all__ = ["read_traces", "expand", "pieces", "PIECE_BYTES"]

#: files of strace text larger than this are cut into pieces of about it
PIECE_BYTES = 64 << 20


def expand(paths):
    """The files paths names, in order: a path, a glob pattern or a
    directory (every file under it, names starting with '.' skipped, as
    "sysrep convert -r" does), or a list of those."""
    if isinstance(paths, (str, bytes, _os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        p = _os.fsdecode(p)
        if _os.path.isdir(p):
            for d, dirs, files in _os.walk(p):
                dirs[:] = sorted(x for x in dirs if not x.startswith("."))
                out += [_os.path.join(d, f) for f in sorted(files) if not f.startswith(".")]
        elif _glob.has_magic(p):
            found = sorted(_glob.glob(p))
            if not found:
                raise FileNotFoundError(f"no file matches {p!r}")
            out += found
        else:
            out.append(p)
    return out


def pieces(path, piece_bytes=PIECE_BYTES, format=None):
    """The pieces read_traces() cuts path into: a list of (start, end,
    line, spec), bytes [start, end) starting at line number `line`, and
    spec the strace reader's "piece" option that reads it
    (sysrep.frame(path, format="strace", options={"piece": spec})).  One
    sequential pass over the file that looks at line shapes only (cut
    calls, resumptions, exits), a fraction of the time a parse takes.

    A file of at most piece_bytes, a compressed one, or one that another
    reader reads (format, or else detected) is one piece, spec None.
    """
    path = _os.fsdecode(path)
    if format not in (None, "strace"):
        return [(0, 2**64 - 1, 1, None)]
    return _sysrep._sysrep.plan_pieces(path, int(piece_bytes), format)


def _part(src, columns, format, arch, options, filters, with_file):
    path, spec = src if isinstance(src, tuple) else (src, None)
    if spec is not None:
        # one piece of a big strace file (see pieces())
        options = dict(options or {}, piece=spec)
        format = "strace"
    df = _sysrep.frame(path, columns=columns, format=format, arch=arch,
                       options=options, **filters)
    if with_file:
        import numpy as np
        import pandas as pd
        df.insert(0, "file", pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8),
                                                       categories=[_os.fsdecode(path)]))
    return df


def read_traces(paths, columns=None, format=None, *, arch=None, options=None,
                file_column=True, piece_bytes=PIECE_BYTES, **filters):
    """A dask DataFrame of the traces, one partition per file, or per piece
    of a big strace file.

    paths: see expand().  columns, format, arch, options and the filters
    (trace=, pid=, failed=, successful=, since=, until=) are those of
    sysrep.frame(), applied to every file.  file_column: a leading
    categorical "file" column with each row's path.

    piece_bytes: a plain (uncompressed) strace text file larger than this
    is cut at line starts into pieces of about this size, one partition
    each (None: never).  Each event is in exactly one partition, with the
    fields and line number the whole file's reading gives; a call cut by
    "<unfinished ...>" is the event of the piece that cut it, at the end of
    that partition, so rows near a cut may come out of line order (sort by
    "line" for file order).  The cuts are planned here, in the client, by
    one sequential pass over each big file (pieces()): the client reads the
    files too.  A piece whose reading would differ from the whole file's
    (docs/python.md, "What a partition is") raises sysrep.ParseError from
    compute(), naming the file and line; piece_bytes=None reads it whole.

    The partitions are built lazily; an error in a file (sysrep.Error with
    its file, line and column) is raised by compute().
    """
    files = expand(paths)
    if not files:
        raise _sysrep.UsageError("read_traces: no input file")
    # the columns' types, from an empty input; categories differ per file,
    # so the meta says they are unknown
    import io
    meta = _part(io.BytesIO(b""), columns, "strace", arch, options, filters, False)
    if file_column:
        import pandas as pd
        meta.insert(0, "file", pd.Categorical([]))
    meta = _clear_categories(meta, cols=[c for c in meta.columns
                                         if str(meta[c].dtype) == "category"])
    _sysrep._filters(**filters)  # bad filters fail now, not in a worker
    parts = []
    for f in files:
        try:
            big = piece_bytes is not None and _os.path.getsize(f) > piece_bytes
        except OSError:
            big = False  # a missing file fails in its task, like any other
        plan = pieces(f, piece_bytes, format) if big else []
        if len(plan) > 1:
            parts += [(f, spec) for (_s, _e, _l, spec) in plan]
        else:
            parts.append(f)
    return _dd.from_map(_part, parts, columns=columns, format=format, arch=arch,
                        options=options, filters=filters, with_file=file_column,
                        meta=meta, divisions=None, label="sysrep-read-traces",
                        enforce_metadata=False)
