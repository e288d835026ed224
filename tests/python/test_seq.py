"""sysrep.sequences(), windows() and lookahead_pairs() against the seq writer."""
import collections
import csv
import io
import os
import unittest

import numpy as np

import sysrep
from sr_helpers import CORPUS, cli


def cli_sequences(*args):
    out = []
    for line in cli("convert", "-t", "seq", *args).decode().splitlines():
        pid, _, nums = line.partition(":")
        out.append((int(pid), [int(x) for x in nums.split()]))
    return out


class Sequences(unittest.TestCase):
    def test_sequences_are_the_seq_writers(self):
        for name in ("gcc-build-f-tt.strace", "pipeline-f.strace", "threads-f-ttt-T-y.strace",
                     "ls-plain.strace", "zoo-py-f-tt-T.strace"):
            path = os.path.join(CORPUS, name)
            for by in ("pid", "tid"):
                with self.subTest(name=name, by=by):
                    got = sysrep.sequences(path, by=by)
                    want = cli_sequences("--by", by, path)
                    self.assertEqual([(k, v.tolist()) for k, v in got.items()], want)
                    for v in got.values():
                        self.assertEqual(v.dtype, np.int64)

    def test_arch_chooses_the_table(self):
        import tempfile
        text = (b'execve("/bin/true", ["true"], 0x7ffd /* 4 vars */) = 0\n'
                b'openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3\n'
                b'exit_group(0) = ?\n+++ exited with 0 +++\n')
        with tempfile.NamedTemporaryFile(suffix=".strace") as f:
            f.write(text)
            f.flush()
            for arch, want in (("x86_64", [59, 257, 231]), ("aarch64", [221, 56, 94]),
                               ("i386", [11, 295, 252])):
                got = sysrep.sequences(f.name, arch=arch)
                self.assertEqual({k: v.tolist() for k, v in got.items()}, {0: want})
                self.assertEqual(cli_sequences("--arch", arch, f.name), [(0, want)])

    def test_an_unknown_name_is_an_error_not_an_invented_number(self):
        import subprocess
        from sr_helpers import SYSREP
        path = os.path.join(CORPUS, "ls-plain.strace")  # access(): none on aarch64
        with self.assertRaises(sysrep.FormatError) as cm:
            sysrep.sequences(path, arch="aarch64")
        self.assertEqual(cm.exception.file, path)
        self.assertIn("access", str(cm.exception))
        r = subprocess.run([SYSREP, "convert", "-t", "seq", "--arch", "aarch64", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1)


class Windows(unittest.TestCase):
    def test_windows_of_a_short_sequence(self):
        w = sysrep.windows([59, 12, 257, 3, 257, 3, 231], 3)
        self.assertEqual(w.tolist(), [[59, 12, 257], [12, 257, 3], [257, 3, 257],
                                      [3, 257, 3], [257, 3, 231]])
        self.assertEqual(sysrep.windows([1, 2], 3).shape, (0, 3))
        with self.assertRaises(sysrep.UsageError):
            sysrep.windows([1, 2], 0)

    def test_window_counts_are_the_seq_writers_self_database(self):
        path = os.path.join(CORPUS, "gcc-build-f-tt.strace")
        seqs = sysrep.sequences(path)
        want = collections.Counter()
        for row in csv.DictReader(io.StringIO(cli("convert", "-t", "seq", "--window", "4",
                                                  path).decode())):
            want[(int(row["pid"]), int(row["call_1"]), int(row["call_2"]),
                  int(row["call_3"]), int(row["call_4"]))] += int(row["count"])
        got = collections.Counter()
        for pid, seq in seqs.items():
            for w in map(tuple, sysrep.windows(seq, 4).tolist()):
                got[(pid, *w)] += 1
        self.assertEqual(got, want)

    def test_lookahead_pairs_are_the_seq_writers(self):
        self.assertEqual(sysrep.lookahead_pairs([1, 2, 3], 3).tolist(),
                         [[1, 2, 1], [1, 3, 2], [2, 3, 1]])
        path = os.path.join(CORPUS, "pipeline-f.strace")
        want = collections.Counter()
        for row in csv.DictReader(io.StringIO(cli("convert", "-t", "seq", "--window", "5",
                                                  "--lookahead", path).decode())):
            want[(int(row["pid"]), int(row["call"]), int(row["next"]),
                  int(row["distance"]))] += int(row["count"])
        got = collections.Counter()
        for pid, seq in sysrep.sequences(path).items():
            for a, b, d in sysrep.lookahead_pairs(seq, 5).tolist():
                got[(pid, a, b, d)] += 1
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
