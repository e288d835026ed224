#!/usr/bin/env python3
"""gen-syscalls.py - the syscall tables of sysrep.

Two steps, as with strace's .in files:

  gen-syscalls.py tables [OUTDIR]
      (maintainer) reads the kernel headers of linux-libc-dev and writes one
      data file per architecture, OUTDIR/syscalls_<arch>.in (default
      core/tables), "NR NAME" per line.  Run it after a kernel-header update
      and commit the result: the build does not need the kernel headers.

  gen-syscalls.py header IN ARCH OUT
      (make) turns a data file into a C header: the number -> name table with
      designated initializers and the name-sorted index for binary search.

Names are the kernel's __NR_ names, which are also the names strace prints
on these three architectures (aarch64 included: strace's generic 64-bit
table calls 79 "newfstatat" and 80 "fstat", as __NR_newfstatat and
__NR_fstat do on a 64-bit build of asm-generic/unistd.h).
"""
import os
import re
import subprocess
import sys
import tempfile

X86 = "/usr/include/x86_64-linux-gnu/asm"
GENERIC = "/usr/include/asm-generic/unistd.h"

# What arch/arm64/include/uapi/asm/unistd.h defines before it includes the
# generic table (Linux 6.1); the build is 64-bit (__BITS_PER_LONG 64), so
# the __NR3264_ entries take their 64-bit names (fcntl, lseek, mmap, ...).
ARM64_WANT = [
    "__ARCH_WANT_RENAMEAT",
    "__ARCH_WANT_NEW_STAT",
    "__ARCH_WANT_SET_GET_RLIMIT",
    "__ARCH_WANT_TIME32_SYSCALLS",
    "__ARCH_WANT_SYS_CLONE3",
    "__ARCH_WANT_MEMFD_SECRET",
]

DEFINE = re.compile(r"^#define\s+__NR_(\w+)\s+(\S+)\s*$")


def plain(path):
    """__NR_name N lines of a flat header (x86 unistd_64.h, unistd_32.h)."""
    out = {}
    with open(path) as f:
        for line in f:
            m = DEFINE.match(line)
            if m and m.group(2).isdigit():
                out[int(m.group(2))] = m.group(1)
    return out


def generic64():
    """asm-generic/unistd.h as arm64 sees it, through the C preprocessor so
    that its #if / #ifdef logic is applied exactly, not re-implemented."""
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "asm"))
        with open(os.path.join(d, "asm", "bitsperlong.h"), "w") as f:
            f.write("#define __BITS_PER_LONG 64\n")
        cmd = [os.environ.get("CC", "cc"), "-E", "-dM", "-undef", "-nostdinc",
               "-I", d, "-I", "/usr/include"]
        cmd += ["-D" + w for w in ARM64_WANT]
        cmd += [GENERIC]
        text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    macros = {}
    for line in text.splitlines():
        m = re.match(r"^#define\s+(__NR\w*)\s+(\S+)$", line)
        if m:
            macros[m.group(1)] = m.group(2)
    out = {}
    for key, val in macros.items():
        # __NR_syscalls is the table size and __NR_arch_specific_syscall
        # the first of 16 numbers left to each architecture (none on arm64):
        # neither is a call
        if not key.startswith("__NR_") or key in ("__NR_syscalls",
                                                 "__NR_arch_specific_syscall"):
            continue
        while val in macros:            # __NR_fcntl -> __NR3264_fcntl -> 25
            val = macros[val]
        if val.isdigit():
            out[int(val)] = key[len("__NR_"):]
    return out


def tables(outdir):
    arches = {
        "x86_64": plain(os.path.join(X86, "unistd_64.h")),
        "i386": plain(os.path.join(X86, "unistd_32.h")),
        "aarch64": generic64(),
    }
    for arch, t in arches.items():
        path = os.path.join(outdir, "syscalls_%s.in" % arch)
        with open(path, "w") as f:
            f.write("# %s syscall numbers, from linux-libc-dev by "
                    "scripts/gen-syscalls.py: do not edit\n" % arch)
            for nr in sorted(t):
                f.write("%d %s\n" % (nr, t[nr]))


def header(inp, arch, out):
    t = {}
    with open(inp) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            nr, name = line.split()
            if not re.match(r"^\w+$", name) or int(nr) in t or int(nr) > 4095:
                sys.exit("%s:%d: bad entry" % (inp, n))
            t[int(nr)] = name
    order = sorted(t, key=lambda nr: t[nr].encode())
    lines = ["/* generated from %s by scripts/gen-syscalls.py: do not edit */" % inp,
             "static const char *const sc_%s_names[] = {" % arch]
    lines += ['\t[%d] = "%s",' % (nr, t[nr]) for nr in sorted(t)]
    lines += ["};", "",
              "/* the numbers of sc_%s_names in byte order of their names */" % arch,
              "static const uint16_t sc_%s_sorted[] = {" % arch]
    lines += ["\t%d," % nr for nr in order]
    lines += ["};", ""]
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out)


def main(argv):
    if len(argv) >= 2 and argv[1] == "tables" and len(argv) <= 3:
        tables(argv[2] if len(argv) == 3 else "core/tables")
    elif len(argv) == 5 and argv[1] == "header":
        header(argv[2], argv[3], argv[4])
    else:
        sys.exit("usage: gen-syscalls.py tables [OUTDIR] | header IN ARCH OUT")


if __name__ == "__main__":
    main(sys.argv)
