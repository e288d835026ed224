"""sysrep.read_csv(): the CSV of "sysrep convert -t csv" loads with the
dtypes of its columns (nullable Int64 where a row may have no value, never
float64), and its cells are the JSON Lines records' values."""
import json
import math
import os
import tempfile
import unittest

import pandas as pd

import sysrep
from sr_helpers import CORPUS, cli, cli_records

# Files whose CSV makes plain pandas.read_csv give float64 for return (and
# pid): unfinished calls, signals, exits, "= ?", lines without a pid.
FILES = ["gen/n-i-ttt-yy-X-verbose-f.strace", "signals-f-tt-T.strace",
         "gcc-build-f-tt.strace", "ls-plain.strace", "threads-f-ttt-T-y.strace"]


def ordered(text):
    """JSON with its objects as lists of pairs: equal means same order too."""
    return json.loads(text, object_pairs_hook=list)


def missing(v):
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


class ReadCsv(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        for f in os.listdir(self.tmp):
            os.unlink(os.path.join(self.tmp, f))
        os.rmdir(self.tmp)

    def csv(self, name, *opts):
        out = os.path.join(self.tmp, os.path.basename(name) + ".csv")
        cli("convert", "-q", "-t", "csv", *opts, "-o", out, os.path.join(CORPUS, name))
        return out

    def test_plain_pandas_is_the_problem(self):
        # the reason read_csv exists: pandas alone makes return float64
        df = pd.read_csv(self.csv(FILES[0]))
        self.assertEqual(str(df["return"].dtype), "float64")

    def test_dtypes_and_values(self):
        for name in FILES:
            with self.subTest(name):
                df = sysrep.read_csv(self.csv(name))
                recs = cli_records(os.path.join(CORPUS, name))
                self.assertEqual(len(df), len(recs))
                for col in ("pid", "nr", "return"):
                    self.assertEqual(str(df[col].dtype), "Int64", col)
                for col in ("time", "duration"):
                    self.assertEqual(str(df[col].dtype), "float64", col)
                for col in ("type", "syscall", "errno"):
                    self.assertEqual(str(df[col].dtype), "category", col)
                self.assertEqual(df["type"].tolist(), [r["type"] for r in recs])
                self.assertEqual([None if missing(p) else int(p) for p in df["pid"]],
                                 [r.get("pid") for r in recs])
                for i, r in enumerate(recs):
                    ret = df["return"][i]
                    want = r.get("return") if r["type"] == "syscall" else None
                    if isinstance(want, dict):  # an fd object, a mode
                        want = want.get("fd", want.get("value"))
                    if want is None or isinstance(want, (str, list)):
                        self.assertTrue(missing(ret), (name, i, ret, want))
                    else:
                        want = want - (1 << 64) if want >= 1 << 63 else want
                        self.assertEqual(int(ret), want, (name, i))
                    if "duration" in r:
                        self.assertAlmostEqual(df["duration"][i], r["duration"], places=9)
                    else:
                        self.assertTrue(missing(df["duration"][i]))
                    # args: exactly the record's, compact JSON
                    if r["type"] in ("syscall", "unfinished"):
                        self.assertEqual(ordered(df["args"][i]),
                                         ordered(json.dumps(r["args"])), (name, i))
                    else:
                        self.assertTrue(missing(df["args"][i]))

    def test_absent_and_text(self):
        df = sysrep.read_csv(self.csv(FILES[0]))
        recs = cli_records(os.path.join(CORPUS, FILES[0]))
        # an unfinished call, a signal, an exit: no return, <NA> not NaN
        for kind in ("unfinished", "signal", "exit"):
            rows = df[df["type"] == kind]
            self.assertGreater(len(rows), 0, kind)
            self.assertTrue(rows["return"].isna().all(), kind)
        # NULL is text strace printed, not a missing value
        self.assertGreater((df["arg0"] == "NULL").sum(), 0)
        # a string strace cut (-s) is listed as in the record
        cut = [i for i, r in enumerate(recs) if any(p.startswith("/args")
                                                    for p in r.get("truncated", []))]
        self.assertGreater(len(cut), 0)
        for i in cut:
            self.assertEqual(json.loads(df["truncated"][i]),
                             [p for p in recs[i]["truncated"] if p.startswith("/args")])
        self.assertTrue(df["truncated"].drop(index=cut).isna().all())

    def test_chosen_columns_and_overrides(self):
        path = self.csv(FILES[1], "--columns", "syscall,return,pathname")
        df = sysrep.read_csv(path, dtype={"return": "float64"})
        self.assertEqual(list(df.columns), ["syscall", "return", "pathname"])
        self.assertEqual(str(df["return"].dtype), "float64")
        self.assertEqual(str(df["pathname"].dtype), "object")

    def test_spelling_record(self):
        # -O record=spelling keeps the positional spelled trees
        df = sysrep.read_csv(self.csv(FILES[3], "-O", "record=spelling"))
        first = df["args"][df["type"] == "syscall"].iloc[0]
        self.assertIsInstance(json.loads(first), list)


if __name__ == "__main__":
    unittest.main()
