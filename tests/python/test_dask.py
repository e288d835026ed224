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
        want = {r["name"]: (r["calls"], r["errors"], round(r["seconds"], 6))
                for r in stats["syscalls"]}
        self.assertEqual(got, want)
        self.assertGreater(len(want), 80)

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
