"""Errors: sysrep.Error subclasses with file, line and column; bad input
never crashes the interpreter."""
import glob
import io
import os
import subprocess
import sys
import tempfile
import unittest

import sysrep
from sr_helpers import CORPUS, ROOT, cli


class Errors(unittest.TestCase):
    def test_a_missing_file_is_a_file_error_naming_it(self):
        with self.assertRaises(sysrep.FileError) as cm:
            list(sysrep.read("/nonexistent/x.strace"))
        e = cm.exception
        self.assertIsInstance(e, sysrep.Error)
        self.assertIsInstance(e, OSError)
        self.assertEqual(e.file, "/nonexistent/x.strace")
        self.assertEqual(e.code, "input/output error")
        self.assertEqual((e.line, e.column), (0, 0))
        self.assertIn("file=/nonexistent/x.strace", str(e))
        with self.assertRaises(sysrep.FileError):
            sysrep.frame("/nonexistent/x.strace")
        with self.assertRaises(sysrep.FileError):
            sysrep.sequences("/nonexistent/x.strace")

    def test_unknown_names_are_usage_errors(self):
        path = os.path.join(CORPUS, "ls-plain.strace")
        with self.assertRaises(sysrep.UsageError):
            sysrep.read(path, format="nosuchformat")
        with self.assertRaises(ValueError):  # UsageError is a ValueError too
            sysrep.frame(path, arch="pdp11")
        with self.assertRaises(sysrep.UsageError):
            sysrep.sequences(path, by="thread")
        with self.assertRaises(TypeError):
            sysrep.read(42)

    def test_corrupt_input_raises_with_where(self):
        path = os.path.join(CORPUS, "threads-f-ttt-T-y.strace")
        with tempfile.TemporaryDirectory() as d:
            for fmt in ("pb", "msgpack", "archive", "jsonl"):
                out = os.path.join(d, "t." + fmt)
                cli("convert", "-t", fmt, path, "-o", out)
                with open(out, "rb") as f:
                    data = bytearray(f.read())
                cut = os.path.join(d, "cut." + fmt)
                with open(cut, "wb") as f:
                    f.write(data[: len(data) * 2 // 3])
                with self.subTest(fmt=fmt):
                    with self.assertRaises(sysrep.Error) as cm:
                        list(sysrep.read(cut, format=fmt))
                    self.assertEqual(cm.exception.file, cut)
                    self.assertIsInstance(cm.exception.line, int)
                    self.assertIsInstance(cm.exception.column, int)

    def test_a_parse_error_has_its_line(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as f:
            f.write(b'{"type":"exit","line":1,"status":0}\n{"type":"syscall",]\n'
                    b'{"type":"exit","line":3,"status":0}\n')
            f.flush()
            with self.assertRaises(sysrep.ParseError) as cm:
                list(sysrep.read(f.name, format="jsonl"))
            e = cm.exception
            self.assertEqual((e.file, e.line), (f.name, 2))
            self.assertGreater(e.column, 0)
            self.assertEqual(e.code, "malformed input")
            r = subprocess.run([os.environ.get("SYSREP", "sysrep"), "convert", "-f", "jsonl",
                                f.name], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            self.assertEqual(r.stderr.decode().strip(), "sysrep: " + str(e))

    def test_hostile_inputs_never_crash_the_interpreter(self):
        """Every fuzz corpus and regression input through every reader, in
        a child interpreter: it must end normally whatever it raised."""
        inputs = sorted(glob.glob(os.path.join(ROOT, "tests", "fuzz", "*", "*", "*")))
        self.assertTrue(inputs)
        code = """
import sys, sysrep
n = 0
for path in sys.argv[1:]:
    for fmt in (None, "strace", "jsonl", "pb", "msgpack", "archive", "scap"):
        try:
            for r in sysrep.read(path, format=fmt):
                pass
            sysrep.frame(path, format=fmt)
        except sysrep.Error as e:
            assert e.file is not None
        n += 1
print(n)
"""
        r = subprocess.run([sys.executable, "-c", code, *inputs], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=dict(os.environ), timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr.decode()[-2000:])
        self.assertEqual(int(r.stdout), 7 * len(inputs))

    def test_garbage_is_data_not_an_error(self):
        recs = list(sysrep.read(io.BytesIO(b"\x00\xff garbage\nread(3, \"x\", 1) = 1\n"),
                                format="strace"))
        self.assertEqual([r["type"] for r in recs], ["unparsed", "syscall"])


if __name__ == "__main__":
    unittest.main()
