"""docs/python.md runs as written: its python blocks in order, in one
namespace, from the root of the tree; a ```text block right after a python
block is that block's expected output.  The multi-host block runs against
a `dask scheduler` and a `dask worker` started here on 127.0.0.1."""
import contextlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import unittest
import warnings

from sr_helpers import ROOT

DOC = os.path.join(ROOT, "docs", "python.md")
HOST = "tcp://hostA:8786"


def blocks(text):
    """[(info, code)] of the fenced blocks, in order."""
    return [(m.group(1).strip(), m.group(2))
            for m in re.finditer(r"^```([^\n]*)\n(.*?)^```$", text, re.S | re.M)]


def update(outputs):
    """UPDATE=1: the text block after each python block becomes what the
    block printed (a reviewer reads the diff, as for golden files)."""
    with open(DOC) as f:
        text = f.read()
    parts, pos, i = [], 0, 0
    it = list(re.finditer(r"^```([^\n]*)\n(.*?)^```$\n?", text, re.S | re.M))
    k = 0
    while k < len(it):
        m = it[k]
        parts.append(text[pos:m.end()])
        pos = m.end()
        if m.group(1).strip() == "python":
            j = k + 1
            # drop the text blocks right after it
            while j < len(it) and it[j].group(1).strip() == "text" and \
                    text[pos:it[j].start()].strip() == "":
                pos = it[j].end()
                j += 1
            if outputs.get(k):
                parts.append("```text\n" + outputs[k] + "```\n")
            k = j
        else:
            k += 1
    parts.append(text[pos:])
    with open(DOC, "w") as f:
        f.write("".join(parts))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Walkthrough(unittest.TestCase):
    def test_the_walkthrough_runs_and_prints_what_it_shows(self):
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        with open(DOC) as f:
            bl = blocks(f.read())
        runs = [(i, code) for i, (info, code) in enumerate(bl) if info == "python"]
        self.assertGreaterEqual(len(runs), 8)
        scheduler = worker = None
        outputs = {}
        ns = {"__name__": "walkthrough"}
        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            for i, code in runs:
                if HOST in code:
                    if scheduler is None:
                        scheduler, worker, addr = self.start_cluster()
                    code = code.replace(HOST, addr)
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(code, f"{DOC}:block{i}", "exec"), ns)
                # the output shown may be split over several text blocks
                outputs[i] = out.getvalue()
                want, j = "", i + 1
                while j < len(bl) and bl[j][0] == "text":
                    want += bl[j][1]
                    j += 1
                if os.environ.get("UPDATE") == "1":
                    continue
                with self.subTest(block=i, code=code.splitlines()[0]):
                    self.assertEqual(out.getvalue(), want)
            if os.environ.get("UPDATE") == "1":
                update(outputs)
        finally:
            os.chdir(cwd)
            for p in (worker, scheduler):
                if p:
                    p.terminate()
                    try:
                        p.wait(10)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        p.wait()

    def start_cluster(self):
        dask = shutil.which("dask")
        self.assertIsNotNone(dask)
        port = free_port()
        addr = f"tcp://127.0.0.1:{port}"
        env = dict(os.environ, PYTHONWARNINGS="ignore")
        quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        scheduler = subprocess.Popen([sys.executable, dask, "scheduler", "--host", "127.0.0.1",
                                      "--port", str(port), "--dashboard-address", ":0"], **quiet)
        worker = subprocess.Popen([sys.executable, dask, "worker", addr, "--nworkers", "1",
                                   "--nthreads", "1", "--dashboard-address", ":0"], **quiet)
        from distributed import Client
        with Client(addr, timeout=30) as c:
            c.wait_for_workers(1, timeout=60)
        return scheduler, worker, addr


if __name__ == "__main__":
    unittest.main()
