"""sysrep.read(): the JSON Lines records as dicts, from any reader and input."""
import gzip
import io
import os
import subprocess
import tempfile
import unittest

import sysrep
from sr_helpers import CORPUS, SYSREP, cli, cli_records, corpus_files


class ReadEqualsJsonLines(unittest.TestCase):
    def test_every_corpus_file_reads_as_json_loads_of_its_jsonl(self):
        files = corpus_files()
        self.assertGreater(len(files), 30)
        for path in files:
            with self.subTest(path=os.path.relpath(path, CORPUS)):
                self.assertEqual(list(sysrep.read(path)), cli_records(path))

    def test_arch_numbers_calls_as_the_cli_does(self):
        path = os.path.join(CORPUS, "ls-plain.strace")
        got = list(sysrep.read(path, arch="i386"))
        self.assertEqual(got, cli_records("--arch", "i386", path))
        self.assertNotEqual(got, list(sysrep.read(path)))

    def test_every_writer_read_back_gives_the_same_records(self):
        path = os.path.join(CORPUS, "threads-f-ttt-T-y.strace")
        want = cli_records(path)
        with tempfile.TemporaryDirectory() as d:
            for fmt in ("jsonl", "pb", "msgpack", "archive"):
                out = os.path.join(d, "t." + fmt)
                cli("convert", "-t", fmt, path, "-o", out)
                with self.subTest(fmt=fmt):
                    self.assertEqual(list(sysrep.read(out)), cli_records(out))
                    self.assertEqual(list(sysrep.read(out, format=fmt)), cli_records(out))
        # the records of a jsonl round trip are the records
        self.assertGreater(len(want), 100)


class Inputs(unittest.TestCase):
    path = os.path.join(CORPUS, "signals-f-tt-T.strace")

    def setUp(self):
        self.want = cli_records(self.path)

    def test_a_path_may_be_bytes_or_pathlike(self):
        import pathlib
        self.assertEqual(list(sysrep.read(os.fsencode(self.path))), self.want)
        self.assertEqual(list(sysrep.read(pathlib.Path(self.path))), self.want)

    def test_compressed_inputs_are_decompressed(self):
        with open(self.path, "rb") as f:
            raw = f.read()
        with tempfile.TemporaryDirectory() as d:
            gz = os.path.join(d, "t.strace.gz")
            with gzip.open(gz, "wb") as f:
                f.write(raw)
            zst = os.path.join(d, "t.strace.zst")
            subprocess.run(["zstd", "-q", "-o", zst, self.path], check=True)
            self.assertEqual(list(sysrep.read(gz)), self.want)
            self.assertEqual(list(sysrep.read(zst)), self.want)

    def test_file_objects_are_read_through_their_read_method(self):
        with open(self.path, "rb") as f:
            raw = f.read()
        self.assertEqual(list(sysrep.read(io.BytesIO(raw))), self.want)
        self.assertEqual(list(sysrep.read(io.BytesIO(gzip.compress(raw)))), self.want)
        with open(self.path, "rb") as f:
            self.assertEqual(list(sysrep.read(f)), self.want)

    def test_an_unbuffered_pipe_is_streamed(self):
        """The first record arrives while the writer still holds the pipe
        open: nothing waits for the end of the input.  (Detection reads a
        4 KiB head, and the reader holds back its last line, which may get
        attached lines: the writer sends 8 KiB and a line first.)"""
        import threading
        path = os.path.join(CORPUS, "gcc-build-f-tt.strace")
        with open(path, "rb") as f:
            raw = f.read()
        cut = raw.index(b"\n", raw.index(b"\n", 8192) + 1) + 1
        first, rest = raw[:cut], raw[cut:]
        r, w = os.pipe()
        got_first = threading.Event()
        in_time = []

        def writer():
            os.write(w, first)
            in_time.append(got_first.wait(30))
            os.write(w, rest)
            os.close(w)
        t = threading.Thread(target=writer)
        t.start()
        with open(r, "rb", buffering=0) as src:
            it = sysrep.read(src)  # detection peeks without holding the GIL
            recs = [next(it)]
            got_first.set()
            recs += list(it)
        t.join()
        self.assertEqual(in_time, [True])
        self.assertEqual(recs, cli_records(path))

    def test_a_buffered_pipe_is_read_whole(self):
        p = subprocess.Popen(["cat", self.path], stdout=subprocess.PIPE)
        try:
            self.assertEqual(list(sysrep.read(p.stdout)), self.want)
        finally:
            p.stdout.close()
            p.wait()

    def test_records_stream_and_close_early(self):
        with sysrep.read(self.path) as it:
            first = next(it)
            self.assertEqual(it.format, "strace")
        self.assertEqual(first, self.want[0])
        self.assertEqual(list(it), [])


class Progress(unittest.TestCase):
    def test_progress_sees_bytes_and_events_growing(self):
        path = os.path.join(CORPUS, "gcc-build-f-tt.strace")
        calls = []
        n = sum(1 for _ in sysrep.read(path, progress=lambda b, e: calls.append((b, e))))
        self.assertTrue(calls)
        self.assertEqual(calls[-1], (os.path.getsize(path), n))
        self.assertEqual(calls, sorted(calls))

    def test_an_exception_in_progress_stops_the_read(self):
        def stop(b, e):
            raise KeyboardInterrupt
        with self.assertRaises(KeyboardInterrupt):
            list(sysrep.read(os.path.join(CORPUS, "ls-plain.strace"), progress=stop))


if __name__ == "__main__":
    unittest.main()
