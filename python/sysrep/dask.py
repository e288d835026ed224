"""sysrep.dask: a corpus of traces as one dask DataFrame.

    import sysrep.dask
    ddf = sysrep.dask.read_traces("corpus/*.strace")
    ddf.groupby("syscall", observed=True).size().compute()

One partition per file: each is sysrep.frame() of that file, built where the
task runs (the workers need the sysrep module and the files at the same
paths: a shared or copied file system).  Works with dask's local schedulers
and with a distributed cluster, one machine or many (docs/python.md).
"""

import glob as _glob
import os as _os

import dask.dataframe as _dd
from dask.dataframe.utils import clear_known_categories as _clear_categories

import sysrep as _sysrep

__all__ = ["read_traces", "expand"]


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


def _part(path, columns, format, arch, options, filters, with_file):
    df = _sysrep.frame(path, columns=columns, format=format, arch=arch,
                       options=options, **filters)
    if with_file:
        import numpy as np
        import pandas as pd
        df.insert(0, "file", pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8),
                                                       categories=[_os.fsdecode(path)]))
    return df


def read_traces(paths, columns=None, format=None, *, arch=None, options=None,
                file_column=True, **filters):
    """A dask DataFrame of the traces, one partition per file.

    paths: see expand().  columns, format, arch, options and the filters
    (trace=, pid=, failed=, successful=, since=, until=) are those of
    sysrep.frame(), applied to every file.  file_column: a leading
    categorical "file" column with each row's path.

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
    return _dd.from_map(_part, files, columns=columns, format=format, arch=arch,
                        options=options, filters=filters, with_file=file_column,
                        meta=meta, divisions=None, label="sysrep-read-traces",
                        enforce_metadata=False)
