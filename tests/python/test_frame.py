"""sysrep.frame(): a DataFrame whose cells are the records' values."""
import math
import os
import unittest

import numpy as np
import pandas as pd

import sysrep
from sr_helpers import CORPUS, cli_records, corpus_files

KEYS = {"pid": "pid", "nr": "nr", "return": "return", "errno": "errno",
        "time": "time", "duration": "duration", "line": "line", "type": "type"}


def cell(v):
    """A DataFrame cell as a plain Python value, None for a missing one."""
    if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def record_cell(rec, col):
    """What the record says for a frame column."""
    if col == "syscall":
        return rec.get("syscall")
    if col == "signal":
        return rec.get("signal")
    if col == "return":
        r = rec.get("return")
        # a typed return (an fd object, a mode) is an object; the column
        # holds its number
        if isinstance(r, dict):
            r = r.get("fd", r.get("value"))
        # an unsigned return beyond INT64_MAX keeps its 64 bits
        return r - (1 << 64) if r is not None and r >= 1 << 63 else r
    return rec.get(col)


class FrameEqualsRecords(unittest.TestCase):
    def test_every_cell_of_every_corpus_file_is_the_records_value(self):
        for path in corpus_files():
            with self.subTest(path=os.path.relpath(path, CORPUS)):
                df = sysrep.frame(path)
                recs = cli_records(path)
                self.assertEqual(len(df), len(recs))
                self.assertEqual(list(df.columns), list(sysrep.COLUMNS))
                for col in sysrep.COLUMNS:
                    got = [cell(v) for v in df[col].tolist()]
                    want = [record_cell(r, col) for r in recs]
                    self.assertEqual(got, want, col)

    def test_dtypes(self):
        df = sysrep.frame(os.path.join(CORPUS, "threads-f-ttt-T-y.strace"))
        self.assertEqual({c: str(t) for c, t in df.dtypes.items()}, {
            "type": "category", "line": "int64", "pid": "Int64", "time": "float64",
            "syscall": "category", "nr": "Int64", "return": "Int64",
            "errno": "category", "duration": "float64", "signal": "category"})
        self.assertTrue(df["duration"].notna().any())
        self.assertTrue(df["pid"].notna().all())

    def test_columns_choose_and_order(self):
        path = os.path.join(CORPUS, "ls-plain.strace")
        df = sysrep.frame(path, columns=["syscall", "pid", "errno"])
        self.assertEqual(list(df.columns), ["syscall", "pid", "errno"])
        self.assertTrue(df["pid"].isna().all())  # strace without -f prints no pid

    def test_argument_columns_hold_the_records_arguments(self):
        # the semantic record names its arguments; a column is an argument's
        # name and holds that argument of each record (None where absent)
        path = os.path.join(CORPUS, "gcc-build-f-tt.strace")
        recs = cli_records(path)
        names = ["dirfd", "pathname", "flags", "count"]
        df = sysrep.frame(path, columns=["syscall"] + names)

        def arg(r, name):
            a = r.get("args")
            return a.get(name) if isinstance(a, dict) else None
        for name in names:
            self.assertEqual(df[name].tolist(), [arg(r, name) for r in recs])
        paths = set()
        for v in df["pathname"]:
            paths.add(v.get("str") if isinstance(v, dict) else v)
        self.assertIn("/etc/ld.so.cache", paths)
        self.assertTrue(any(v is not None for v in df["count"]))

    def test_memory_is_about_the_frames_own_size(self):
        df = sysrep.frame(os.path.join(CORPUS, "gcc-build-f-tt.strace"))
        per_row = df.memory_usage(index=False).sum() / len(df)
        # 6 int64/float64 columns, 3 masks, 3 int32 codes (or smaller), a type byte
        self.assertLess(per_row, 8 * 6 + 3 + 4 * 3 + 1 + 1)


class Filters(unittest.TestCase):
    path = os.path.join(CORPUS, "gcc-build-f-tt.strace")

    def check(self, cli_args, **filters):
        want = cli_records(*cli_args, self.path)
        self.assertEqual(list(sysrep.read(self.path, **filters)), want)
        df = sysrep.frame(self.path, **filters)
        self.assertEqual(df["line"].tolist(), [r["line"] for r in want])
        return want

    def test_trace(self):
        got = self.check(["-e", "trace=openat,close"], trace="openat,close")
        self.assertTrue(got)
        self.check(["-e", "trace=%file"], trace=["%file"])
        self.check(["-e", "trace=!%file"], trace="!%file")

    def test_pid_failed_successful(self):
        self.check(["--pid", "13507"], pid=13507)
        self.check(["--pid", "13507,13508"], pid=[13507, 13508])
        self.assertTrue(self.check(["--failed"], failed=True))
        self.check(["--successful"], successful=True)

    def test_since_until(self):
        self.assertTrue(self.check(["--since", "10388.40", "--until", "10388.45"],
                                   since=10388.40, until=10388.45))
        self.check(["--since", "02:53:08.40"], since="02:53:08.40")

    def test_bad_filters_are_usage_errors(self):
        with self.assertRaises(sysrep.UsageError):
            sysrep.frame(self.path, trace="%nosuchclass")
        with self.assertRaises(sysrep.UsageError):
            list(sysrep.read(self.path, since="yesterday"))
        with self.assertRaises(TypeError):
            sysrep.frame(self.path, nosuchfilter=1)


if __name__ == "__main__":
    unittest.main()
