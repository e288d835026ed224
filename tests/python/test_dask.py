"""sysrep.dask.read_traces() on a distributed LocalCluster of two worker
processes: the corpus counted exactly as "sysrep stats" counts it."""
import json
import os
import unittest

import sysrep.dask
from sr_helpers import CORPUS, cli, corpus_files


class LocalClusterCountsAsStats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import warnings
        from distributed import Client, LocalCluster
        # tornado 6.2 under distributed 2022.12 warns on every loop
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        cls.cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                   dashboard_address=":0", silence_logs=40)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def test_every_event_and_the_per_syscall_table(self):
        files = corpus_files()
        stats = json.loads(cli("stats", "--json", *files))
        ddf = sysrep.dask.read_traces(files)
        self.assertEqual(ddf.npartitions, len(files))

        kinds, per_file = self.client.compute(
            [ddf["type"].value_counts(), ddf.groupby("file", observed=True).size()], sync=True)
        self.assertEqual({k: int(kinds.get(k, 0)) for k in stats["kinds"]}, stats["kinds"])
        self.assertEqual(int(kinds.sum()), stats["events"] + stats["unparsed"])
        self.assertEqual(sorted(per_file.index), sorted(files))
        # the work went to both worker processes
        self.assertEqual(len(self.client.scheduler_info()["workers"]), 2)

        # strace -c: calls that returned ("= ?" is not counted), their
        # errors and -T time, per syscall
        calls = ddf[(ddf["type"] == "syscall") & ddf["return"].notnull()]
        calls = calls.assign(failed=calls["errno"].notnull(), seconds=calls["duration"].fillna(0.0))
        table = calls.groupby("syscall", observed=True).agg(
            {"line": "count", "failed": "sum", "seconds": "sum"}).compute()
        got = {name: (int(r["line"]), int(r["failed"]), round(float(r["seconds"]), 6))
               for name, r in table.iterrows()}
        want = {r["name"]: (r["calls"], r["errors"], round(r.get("seconds", 0.0), 6))  # absent without -T
                for r in stats["syscalls"]}
        self.assertEqual(got, want)
        self.assertGreater(len(want), 80)

    def test_a_big_file_cut_into_pieces(self):
        """One strace -f file with hundreds of cut calls, as many partitions:
        every event once, the counts and the per-syscall table of stats."""
        f = os.path.join(CORPUS, "pipeline-f.strace")
        stats = json.loads(cli("stats", "--json", f))
        ddf = sysrep.dask.read_traces(f, piece_bytes=4096)
        plan = sysrep.dask.pieces(f, 4096)
        self.assertGreaterEqual(ddf.npartitions, 15)
        self.assertEqual(len(plan), ddf.npartitions)
        # calls cut in one piece and resumed in the next: the events of
        # the pieces that cut them, past those pieces' last lines
        last = self.client.compute([ddf.partitions[i]["line"].max()
                                    for i in range(len(plan) - 1)], sync=True)
        self.assertGreater(sum(last[i] >= plan[i + 1][2] for i in range(len(last))), 5)

        kinds, sizes = self.client.compute(
            [ddf["type"].value_counts(), ddf.map_partitions(len)], sync=True)
        self.assertEqual({k: int(kinds.get(k, 0)) for k in stats["kinds"]}, stats["kinds"])
        self.assertEqual(int(kinds.sum()), stats["events"] + stats["unparsed"])
        self.assertTrue(all(n > 0 for n in sizes))

        calls = ddf[(ddf["type"] == "syscall") & ddf["return"].notnull()]
        calls = calls.assign(failed=calls["errno"].notnull(),
                             seconds=calls["duration"].fillna(0.0))
        table = calls.groupby("syscall", observed=True).agg(
            {"line": "count", "failed": "sum", "seconds": "sum"}).compute()
        got = {name: (int(r["line"]), int(r["failed"]), round(float(r["seconds"]), 6))
               for name, r in table.iterrows()}
        want = {r["name"]: (r["calls"], r["errors"], round(r.get("seconds", 0.0), 6))  # absent without -T
                for r in stats["syscalls"]}
        self.assertEqual(got, want)

        # row for row the whole file's frame, once sorted by line (an event
        # of a call cut before a piece's end comes at the end of its piece)
        whole = sysrep.frame(f)
        cut = ddf.compute().drop(columns="file").sort_values(["line", "type"], kind="stable")
        whole = whole.sort_values(["line", "type"], kind="stable")
        self.assertEqual(whole.reset_index(drop=True).astype(str).values.tolist(),
                         cut.reset_index(drop=True).astype(str).values.tolist())
        self.assertGreater((whole["type"] == "unfinished").sum(), 400)

    def test_a_directory_and_filters(self):
        ddf = sysrep.dask.read_traces(os.path.join(CORPUS, "perpid"), trace="%process")
        got = ddf.compute()
        self.assertEqual(got["file"].nunique(), 4)
        want = []
        for f in sorted(os.listdir(os.path.join(CORPUS, "perpid"))):
            want += [json.loads(l)["line"] for l in
                     cli("convert", "-t", "jsonl", "-e", "trace=%process",
                         os.path.join(CORPUS, "perpid", f)).splitlines()]
        self.assertEqual(got["line"].tolist(), want)

    def test_an_error_names_its_file(self):
        ddf = sysrep.dask.read_traces([os.path.join(CORPUS, "ls-plain.strace"),
                                       "/nonexistent/x.strace"])
        with self.assertRaises(sysrep.FileError) as cm:
            ddf.compute()
        self.assertEqual(cm.exception.file, "/nonexistent/x.strace")


if __name__ == "__main__":
    unittest.main()
