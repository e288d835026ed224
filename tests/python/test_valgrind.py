"""The extension's C code under valgrind's memcheck: reading, frame
columns, sequences, filters, progress, bad inputs through every reader and
a missing file, with no invalid access and no use of uninitialised memory.
(The pandas and numpy wrappers are left out: they would take minutes.)"""
import os
import shutil
import subprocess
import sys
import unittest

from sr_helpers import CORPUS

SCRIPT = r"""
import io
from sysrep import _sysrep
p = %r
n = sum(1 for _ in _sysrep.Records(p, None, None, {"trace": "%%process"}, None, lambda b, e: None))
raw = _sysrep.frame_arrays(p, None, None, {"pid": "13426"}, None, None, ["arg0", "arg1"])
s = _sysrep.sequences(p, None, None, "tid", None, None, None)
c = _sysrep.convert([p, p], None, "pb", None, False, True, 3, 0, {}, {"trace": "%%file"},
                    False, False, 2, 4096, lambda b, e: None)
assert c["output"] and not c["failures"]
for bad in (b"\x00garbage\n", b'{"type":"syscall",]\n', b"\x28\xb5\x2f\xfd\x00\x00", b"\x1f\x8b\x08"):
    for fmt in (None, "strace", "jsonl", "pb", "msgpack", "archive", "scap"):
        try:
            list(_sysrep.Records(io.BytesIO(bad), fmt))
            _sysrep.frame_arrays(io.BytesIO(bad), fmt)
        except _sysrep.Error:
            pass
try:
    list(_sysrep.Records("/nonexistent"))
except _sysrep.FileError:
    pass
print(n, len(raw), len(s))
"""


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
class Memcheck(unittest.TestCase):
    def test_no_memory_error_in_the_extension(self):
        script = SCRIPT % os.path.join(CORPUS, "pipeline-f.strace")
        env = dict(os.environ, PYTHONMALLOC="malloc")
        r = subprocess.run(["valgrind", "-q", "--error-exitcode=9", "--leak-check=no",
                            sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr.decode()[-3000:])
        self.assertEqual(r.stdout.split()[1:], [b"12", b"6"])


if __name__ == "__main__":
    unittest.main()
