"""sysrep.convert(): "sysrep convert" with its options, byte for byte."""
import io
import os
import shutil
import subprocess
import tempfile
import unittest

import sysrep
from sr_helpers import CORPUS, cli

PATH = os.path.join(CORPUS, "gcc-build-f-tt.strace")


class Convert(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def test_every_writer_gives_the_clis_bytes(self):
        for to in ("jsonl", "json", "strace", "pb", "msgpack", "csv", "seq", "archive", "tree"):
            with self.subTest(to=to):
                out = os.path.join(self.dir, "out." + to)
                counts = sysrep.convert(PATH, out, to=to)
                cmd = ("tree", PATH) if to == "tree" else ("convert", "-t", to, PATH)
                self.assertEqual(self.read(out), cli(*cmd))
                self.assertEqual(counts["unparsed"], 0)
                self.assertEqual(counts["bytes_out"], os.path.getsize(out))

    def test_the_writer_follows_the_extension_and_zst_compresses(self):
        out = os.path.join(self.dir, "x.csv.zst")
        sysrep.convert(PATH, out)
        plain = subprocess.run(["zstd", "-dc", out], stdout=subprocess.PIPE, check=True).stdout
        self.assertEqual(plain, cli("convert", "-t", "csv", PATH))

    def test_no_dst_returns_the_bytes_and_a_file_object_gets_them(self):
        want = cli("convert", "-t", "strace", PATH)
        self.assertEqual(sysrep.convert(PATH, to="strace")["output"], want)
        self.assertEqual(self.read(PATH), want)
        buf = io.BytesIO()
        counts = sysrep.convert(PATH, buf, to="strace", zstd=True)
        self.assertNotIn("output", counts)
        self.assertEqual(subprocess.run(["zstd", "-dc"], input=buf.getvalue(),
                                        stdout=subprocess.PIPE, check=True).stdout, want)

    def test_options_filters_arch_and_jobs(self):
        got = sysrep.convert(PATH, to="csv", columns=["pid", "syscall", "errno"], failed=True,
                             trace="%file")["output"]
        self.assertEqual(got, cli("convert", "-t", "csv", "--columns", "pid,syscall,errno",
                                  "--failed", "-e", "trace=%file", PATH))
        got = sysrep.convert(PATH, to="seq", arch="i386", options={"by": "tid", "names": True},
                             pid=13507)
        self.assertEqual(got["output"], cli("convert", "-t", "seq", "--arch", "i386", "--by", "tid",
                                            "--names", "--pid", "13507", PATH))
        self.assertIn(b"newfstatat", got["output"])
        self.assertEqual(sysrep.convert(PATH, jobs=2, chunk=4096)["output"],
                         cli("convert", "-t", "jsonl", PATH))

    def test_several_inputs_merge_and_a_corpus(self):
        files = sorted(os.path.join(CORPUS, "perpid", f)
                       for f in os.listdir(os.path.join(CORPUS, "perpid")))
        self.assertEqual(sysrep.convert(files, to="strace")["output"],
                         cli("convert", "-t", "strace", *files))
        self.assertEqual(sysrep.convert(files, to="strace", merge=True)["output"],
                         cli("convert", "-t", "strace", "--merge", *files))
        a, b = os.path.join(self.dir, "a"), os.path.join(self.dir, "b")
        res = sysrep.convert(os.path.join(CORPUS, "perpid"), a, to="jsonl", recursive=True, jobs=2)
        subprocess.run([os.environ.get("SYSREP", "sysrep"), "convert", "-q", "-r",
                        os.path.join(CORPUS, "perpid"), "-o", b, "-t", "jsonl"], check=True)
        self.assertEqual((res["files"], res["failed"]), (4, 0))
        self.assertEqual(sorted(os.listdir(a)), sorted(os.listdir(b)))
        for f in os.listdir(a):
            self.assertEqual(self.read(os.path.join(a, f)), self.read(os.path.join(b, f)))

    def test_corpus_skips_what_is_not_a_trace(self):
        src = os.path.join(self.dir, "in")
        os.makedirs(src)
        shutil.copy(PATH, src)
        with open(os.path.join(src, "prog.c"), "w") as f:
            f.write("#include <stdio.h>\nint main(void) { return 0; }\n")
        open(os.path.join(src, "empty"), "w").close()
        res = sysrep.convert(src, os.path.join(self.dir, "o"), recursive=True)
        self.assertEqual((res["files"], res["skipped"]), (1, 2))
        self.assertEqual(sorted(res["skipped_files"]),
                         [(os.path.join(src, "empty"), "empty"),
                          (os.path.join(src, "prog.c"),
                           "its first lines read as strace: 1 unparsed, 0 events")])
        self.assertEqual(os.listdir(os.path.join(self.dir, "o")),
                         [os.path.basename(PATH).rsplit(".", 1)[0] + ".jsonl"])
        with self.assertRaises(sysrep.ParseError):
            sysrep.convert(src, os.path.join(self.dir, "o2"), recursive=True, strict=True)
        # a reader given: every file is read with it, none skipped
        res = sysrep.convert(src, os.path.join(self.dir, "o3"), recursive=True, format="strace")
        self.assertEqual((res["files"], res["skipped"], res["skipped_files"]), (3, 0, []))

    def test_keep_going_and_strict(self):
        out = os.path.join(self.dir, "k.jsonl")
        res = sysrep.convert([PATH, "/nonexistent/x.strace", PATH], out, keep_going=True)
        self.assertEqual([e.file for e in res["failures"]], ["/nonexistent/x.strace"])
        self.assertEqual(self.read(out), cli("convert", "-t", "jsonl", PATH, PATH))
        with self.assertRaises(sysrep.FileError):
            sysrep.convert([PATH, "/nonexistent/x.strace"], out + "2")
        self.assertFalse(os.path.exists(out + "2"))
        bad = os.path.join(self.dir, "bad.strace")
        with open(bad, "wb") as f:
            f.write(b"getpid() = 1\nnot strace at all\n")
        with self.assertRaises(sysrep.ParseError) as cm:
            sysrep.convert(bad, out + "3", strict=True)
        self.assertEqual((cm.exception.file, cm.exception.line), (bad, 2))
        self.assertTrue(os.path.exists(out + "3"))  # written in full, as the CLI does

    def test_progress_and_an_exception_in_it(self):
        seen = []
        sysrep.convert(PATH, to="pb", progress=lambda b, e: seen.append((b, e)))
        self.assertEqual(seen[-1][0], os.path.getsize(PATH))

        def stop(b, e):
            raise KeyboardInterrupt
        out = os.path.join(self.dir, "p.jsonl")
        with self.assertRaises(KeyboardInterrupt):
            sysrep.convert(PATH, out, progress=stop)
        self.assertFalse(os.path.exists(out))

    def test_bad_arguments(self):
        with self.assertRaises(sysrep.UsageError):
            sysrep.convert(PATH, to="nosuchwriter")
        with self.assertRaises(sysrep.UsageError):
            sysrep.convert(PATH, format="nosuchreader")
        with self.assertRaises(sysrep.UsageError):
            sysrep.convert(PATH, zstd=99)


if __name__ == "__main__":
    unittest.main()
