#!/usr/bin/env python3
"""gen-semantic.py - the data behind sysrep's semantic records.

Two steps, as with gen-syscalls.py:

  gen-semantic.py tables [OUTDIR]
      (maintainer, `make semantic-tables`) writes, into OUTDIR (default
      core/tables):
        constants.in            name <-> value sets (O_*, AT_*, PROT_*, ...),
                                values read from linux-libc-dev's and libc6-dev's
                                headers by compiling a program that prints them
        constants_<arch>.in     (i386, aarch64) the sets whose values differ
                                there, from linux-source-6.1's uapi headers
                                compiled for the architecture (see KArch);
                                SR_KSRC=DIR: an unpacked kernel tree to use
        signatures_<arch>.in    every syscall of the arch's number table with
                                its argument names, semantic types and constant
                                sets, and its return type
      Sources: the section-2 synopses of manpages-dev (argument names as
      users know them: `pathname`, `dirfd`), include/linux/syscalls.h of
      linux-source-6.1 (which calls exist and how many arguments each has),
      and core/tables/semantic-hand.in (what no header says: which constant
      set an argument uses, return types).  Commit the output: the build
      needs none of these inputs.

  gen-semantic.py header IN... OUT
      (make) turns the .in files into one C header of constant tables.
"""
import gzip
import os
import re
import subprocess
import sys
import tempfile

MAN2 = "/usr/share/man/man2"
KSRC = "/usr/src/linux-source-6.1.tar.xz"
KHDR = "linux-source-6.1/include/linux/syscalls.h"
ARCHES = ["x86_64", "i386", "aarch64"]

# ---------------------------------------------------------------------------
# Constant sets.  name, kind (flags | enum), headers, the regex of the macro
# names that belong to it, and options:
#   field=[names]  a multi-bit field printed first (O_ACCMODE, MAP_TYPE);
#                  its mask is the OR of the values, or mask=N
#   fieldset=S     the low bits are a value of set S (clone's exit signal)
#   order=[names]  the order strace prints the bits in, where it is not the
#                  order of their values
#   drop=regex     aliases strace does not print
SETS = [
    ("open", "flags", ["asm/fcntl.h"],
     r"O_(CREAT|EXCL|NOCTTY|TRUNC|APPEND|NONBLOCK|SYNC|DSYNC|DIRECT|LARGEFILE|"
     r"NOFOLLOW|NOATIME|CLOEXEC|PATH|TMPFILE|DIRECTORY)|FASYNC",
     dict(field=["O_RDONLY", "O_WRONLY", "O_RDWR"],
          order=["O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK",
                 "O_SYNC", "O_DSYNC", "O_DIRECT", "O_LARGEFILE", "O_NOFOLLOW", "O_NOATIME",
                 "O_CLOEXEC", "O_PATH", "O_TMPFILE", "O_DIRECTORY", "FASYNC"])),
    ("at_flags", "flags", ["linux/fcntl.h"],
     r"AT_(SYMLINK_NOFOLLOW|REMOVEDIR|SYMLINK_FOLLOW|NO_AUTOMOUNT|EMPTY_PATH|EACCESS|"
     r"STATX_FORCE_SYNC|STATX_DONT_SYNC|RECURSIVE)", {}),
    ("at_fd", "enum", ["linux/fcntl.h"], r"AT_FDCWD", {}),
    ("access", "flags", ["unistd.h"], r"[RWX]_OK", dict(zero="F_OK")),
    ("prot", "flags", ["asm/mman.h"], r"PROT_(READ|WRITE|EXEC|SEM|GROWSDOWN|GROWSUP|BTI|MTE)",
     dict(zero="PROT_NONE")),
    ("mmap", "flags", ["linux/mman.h"],
     r"MAP_(FIXED|ANONYMOUS|32BIT|GROWSDOWN|DENYWRITE|EXECUTABLE|LOCKED|NORESERVE|"
     r"POPULATE|NONBLOCK|STACK|HUGETLB|SYNC|FIXED_NOREPLACE|UNINITIALIZED)",
     dict(field=["MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"], mask=0xf)),
    ("madvise", "enum", ["asm/mman.h"], r"MADV_\w+", {}),
    ("mremap", "flags", ["linux/mman.h"], r"MREMAP_\w+", {}),
    ("msync", "flags", ["asm/mman.h"], r"MS_(ASYNC|INVALIDATE|SYNC)", {}),
    ("sock_type", "flags", ["sys/socket.h"], r"SOCK_(NONBLOCK|CLOEXEC)",
     dict(field=["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
                 "SOCK_DCCP", "SOCK_PACKET"], mask=0xf)),
    ("af", "enum", ["sys/socket.h"], r"AF_\w+", dict(drop=r"AF_(LOCAL|FILE|ROUTE|MAX)")),
    ("msg", "flags", ["sys/socket.h"], r"MSG_\w+", dict(drop=r"MSG_(TRYHARD)")),
    ("shut", "enum", ["sys/socket.h"], r"SHUT_(RD|WR|RDWR)", {}),
    ("sol", "enum", ["sys/socket.h", "netinet/in.h"],
     r"SOL_(SOCKET|IP|IPV6|TCP|UDP|RAW|PACKET|NETLINK|ALG|TLS)", {}),
    ("so_opt", "enum", ["sys/socket.h", "asm/socket.h"], r"SO_\w+",
     dict(drop=r"SO_(TIMESTAMP|TIMESTAMPNS|TIMESTAMPING|RCVTIMEO|SNDTIMEO|GET_FILTER|"
               r"DETACH_BPF)")),
    ("scm", "enum", ["sys/socket.h", "asm/socket.h"], r"SCM_\w+",
     dict(drop=r"SCM_(TIMESTAMP|TIMESTAMPNS|TIMESTAMPING|SRCRT)")),
    ("ipproto", "enum", ["netinet/in.h"], r"IPPROTO_\w+", dict(drop=r"IPPROTO_(MAX|HOPOPTS)")),
    ("fcntl", "enum", ["linux/fcntl.h", "asm/fcntl.h"],
     r"F_(DUPFD|GETFD|SETFD|GETFL|SETFL|GETLK|SETLK|SETLKW|SETOWN|GETOWN|SETSIG|GETSIG|"
     r"GETLK64|SETLK64|SETLKW64|"
     r"SETOWN_EX|GETOWN_EX|GETOWNER_UIDS|OFD_GETLK|OFD_SETLK|OFD_SETLKW|SETLEASE|"
     r"GETLEASE|NOTIFY|DUPFD_CLOEXEC|SETPIPE_SZ|GETPIPE_SZ|ADD_SEALS|GET_SEALS|"
     r"GET_RW_HINT|SET_RW_HINT|GET_FILE_RW_HINT|SET_FILE_RW_HINT|CANCELLK)", {}),
    ("fd_flags", "flags", ["asm/fcntl.h"], r"FD_CLOEXEC", {}),
    ("seek", "enum", ["linux/fs.h"], r"SEEK_(SET|CUR|END|DATA|HOLE)", {}),
    ("signal", "enum", ["asm/signal.h"], r"SIG[A-Z0-9]+",
     dict(drop=r"SIG(IOT|POLL|LOST|UNUSED|RTMAX|STKSZ|RTMIN)")),
    ("sighow", "enum", ["asm/signal.h"], r"SIG_(BLOCK|UNBLOCK|SETMASK)", {}),
    ("sa_flags", "flags", ["asm/signal.h"], r"SA_\w+",
     dict(drop=r"SA_(NOMASK|ONESHOT|UNSUPPORTED|EXPOSE_TAGBITS)")),
    ("errno", "enum", ["asm/errno.h"], r"E[A-Z0-9]+",
     dict(drop=r"E(WOULDBLOCK|DEADLOCK)")),
    ("clone", "flags", ["linux/sched.h"], r"CLONE_\w+",
     dict(fieldset="signal", mask=0xff, drop=r"CLONE_(NEWCGROUP_DUMMY|ARGS_SIZE_VER\d|"
                                                  r"LEGACY_FLAGS)")),
    ("wait", "flags", ["linux/wait.h"], r"W(NOHANG|UNTRACED|STOPPED|EXITED|CONTINUED|NOWAIT)|"
     r"__W(NOTHREAD|ALL|CLONE)", dict(drop=r"WSTOPPED")),
    ("idtype", "enum", ["linux/wait.h"], r"P_(ALL|PID|PGID|PIDFD)", {}),
    ("futex", "flags", ["linux/futex.h"], r"FUTEX_CLOCK_REALTIME",
     dict(fieldx=r"FUTEX_(WAIT|WAKE|FD|REQUEUE|CMP_REQUEUE|WAKE_OP|LOCK_PI|UNLOCK_PI|"
                 r"TRYLOCK_PI|WAIT_BITSET|WAKE_BITSET|WAIT_REQUEUE_PI|CMP_REQUEUE_PI|"
                 r"LOCK_PI2)(_PRIVATE)?", mask=0x7f | 128)),
    ("epoll_ctl", "enum", ["sys/epoll.h"], r"EPOLL_CTL_(ADD|DEL|MOD)", {}),
    ("epoll_events", "flags", ["linux/eventpoll.h"], r"EPOLL(IN|PRI|OUT|ERR|HUP|NVAL|RDNORM|"
     r"RDBAND|WRNORM|WRBAND|MSG|RDHUP|URING_WAKE|EXCLUSIVE|WAKEUP|ONESHOT|ET)", {}),
    ("epoll_create", "flags", ["sys/epoll.h"], r"EPOLL_CLOEXEC", {}),
    ("poll", "flags", ["asm/poll.h"], r"POLL(IN|PRI|OUT|ERR|HUP|NVAL|RDNORM|RDBAND|WRNORM|"
     r"WRBAND|MSG|REMOVE|RDHUP)", {}),
    ("rlimit", "enum", ["asm/resource.h"], r"RLIMIT_\w+", dict(drop=r"RLIMIT_NLIMITS")),
    ("clock", "enum", ["linux/time.h"], r"CLOCK_\w+", dict(drop=r"CLOCKS_MASK|CLOCKS_MONO")),
    ("timer", "flags", ["linux/time.h"], r"TIMER_ABSTIME", {}),
    ("prctl", "enum", ["linux/prctl.h"],
     r"PR_(SET|GET|CAPBSET|TASK|MCE|MPX|SVE|PAC|SCHED|SPEC|SYS|RISCV)\w*|"
     r"PR_(CAP_AMBIENT|SET_MM|SET_VMA)",
     dict(drop=r"PR_(SET_MM_\w+|SPEC_(?!CTRL)\w+|.*_(MASK|SHIFT|ENABLE|DISABLE|VL_\w+)|"
               r"SCHED_CORE_\w+|GET_SPECULATION_CTRL|SET_SPECULATION_CTRL)$|"
               r"PR_SET_VMA_ANON_NAME|PR_TASK_PERF_EVENTS_\w+")),
    ("arch_prctl", "enum", ["asm/prctl.h"], r"ARCH_\w+", {}),
    ("ioctl", "enum", ["asm/ioctls.h", "linux/fs.h", "linux/sockios.h"],
     r"TC(GETS|SETS|SETSW|SETSF|GETA|SETA|SETAW|SETAF|SBRK|XONC|FLSH|SBRKP)|"
     r"TIOC(EXCL|NXCL|SCTTY|GPGRP|SPGRP|OUTQ|STI|GWINSZ|SWINSZ|MGET|MBIS|MBIC|MSET|"
     r"GSOFTCAR|SSOFTCAR|INQ|LINUX|CONS|GSERIAL|SSERIAL|PKT|NOTTY|SETD|GETD|GPTN|SPTLCK|"
     r"GDEV|SIG|VHANGUP|GPKT|GPTLCK|GEXCL|GPTPEER|GSID)|"
     r"FIO(NREAD|NBIO|CLEX|NCLEX|ASYNC|QSIZE)|FS_IOC_\w+|FI(CLONE|CLONERANGE|DEDUPERANGE|"
     r"FREEZE|THAW|TRIM)|BLK(GETSIZE64|SSZGET|ROGET|GETSIZE|FLSBUF|RRPART)|"
     r"SIOC(GIFCONF|GIFFLAGS|SIFFLAGS|GIFADDR|GIFINDEX|GIFNAME|GIFHWADDR|GIFMTU|"
     r"ATMARK|GSTAMP|GSTAMPNS)",
     dict(drop=r"FS_IOC32_\w+|FS_IOC_(GETVERSION|SETVERSION)")),
    ("dirent_type", "enum", ["dirent.h"], r"DT_(UNKNOWN|FIFO|CHR|DIR|BLK|REG|LNK|SOCK|WHT)", {}),
    ("iff", "flags", ["linux/if.h"], r"IFF_(UP|BROADCAST|DEBUG|LOOPBACK|POINTOPOINT|"
     r"NOTRAILERS|RUNNING|NOARP|PROMISC|ALLMULTI|MASTER|SLAVE|MULTICAST|PORTSEL|AUTOMEDIA|"
     r"DYNAMIC|LOWER_UP|DORMANT|ECHO)", {}),
    ("mode", "flags", ["sys/stat.h"], r"S_IS(UID|GID|VTX)",
     dict(field=["S_IFIFO", "S_IFCHR", "S_IFDIR", "S_IFBLK", "S_IFREG", "S_IFLNK",
                 "S_IFSOCK"], mask=0o170000, residue="oct")),
    ("statx_mask", "flags", ["linux/stat.h"], r"STATX_\w+",
     dict(drop=r"STATX_(ALL|BASIC_STATS|ATTR_\w+|_RESERVED)")),
    ("memfd", "flags", ["linux/memfd.h"], r"MFD_(CLOEXEC|ALLOW_SEALING|HUGETLB)", {}),
    ("eventfd", "flags", ["sys/eventfd.h"], r"EFD_(SEMAPHORE|CLOEXEC|NONBLOCK)", {}),
    ("inotify_mask", "flags", ["linux/inotify.h"], r"IN_\w+",
     dict(drop=r"IN_(ALL_EVENTS|CLOSE|MOVE|CLOEXEC|NONBLOCK)")),
    ("inotify_init", "flags", ["linux/inotify.h"], r"IN_(CLOEXEC|NONBLOCK)", {}),
    ("personality", "enum", ["linux/personality.h"], r"PER_LINUX(32)?", {}),
    ("sched_policy", "enum", ["linux/sched.h"], r"SCHED_(NORMAL|FIFO|RR|BATCH|IDLE|DEADLINE)",
     {}),
    ("which_prio", "enum", ["sys/resource.h"], r"PRIO_(PROCESS|PGRP|USER)", {}),
    ("rusage_who", "enum", ["linux/resource.h"], r"RUSAGE_(SELF|CHILDREN|THREAD)", {}),
    ("itimer", "enum", ["linux/time.h"], r"ITIMER_(REAL|VIRTUAL|PROF)", {}),
    ("flock", "flags", ["sys/file.h"], r"LOCK_(SH|EX|NB|UN|MAND|READ|WRITE|RW)",
     {}),
    ("lock_type", "enum", ["asm/fcntl.h"], r"F_(RDLCK|WRLCK|UNLCK)", {}),
    ("renameat2", "flags", ["linux/fs.h"], r"RENAME_(NOREPLACE|EXCHANGE|WHITEOUT)", {}),
    ("getrandom", "flags", ["linux/random.h"], r"GRND_(NONBLOCK|RANDOM|INSECURE)", {}),
    ("splice", "flags", ["fcntl.h"], r"SPLICE_F_\w+", {}),
    ("fallocate", "flags", ["linux/falloc.h"], r"FALLOC_FL_\w+", {}),
    ("fadvise", "enum", ["linux/fadvise.h"], r"POSIX_FADV_\w+", {}),
    ("membarrier", "flags", ["linux/membarrier.h"], r"MEMBARRIER_CMD_\w+",
     dict(drop=r"MEMBARRIER_CMD_SHARED")),
    ("rseq", "flags", ["linux/rseq.h"], r"RSEQ_FLAG_UNREGISTER", {}),
    ("timerfd", "flags", ["sys/timerfd.h"], r"TFD_(CLOEXEC|NONBLOCK)", {}),
    ("timerfd_set", "flags", ["sys/timerfd.h"], r"TFD_TIMER_(ABSTIME|CANCEL_ON_SET)", {}),
    ("ptrace", "enum", ["linux/ptrace.h"], r"PTRACE_(TRACEME|PEEK\w+|POKE\w+|CONT|KILL|"
     r"SINGLESTEP|ATTACH|DETACH|SYSCALL|SETOPTIONS|GETEVENTMSG|GETSIGINFO|SETSIGINFO|"
     r"GETREGSET|SETREGSET|SEIZE|INTERRUPT|LISTEN|GETSIGMASK|SETSIGMASK|"
     r"SECCOMP_GET_FILTER|GET_SYSCALL_INFO)", {}),
    ("seccomp_op", "enum", ["linux/seccomp.h"], r"SECCOMP_(SET_MODE_STRICT|SET_MODE_FILTER|"
     r"GET_ACTION_AVAIL|GET_NOTIF_SIZES)", {}),
    ("close_range", "flags", ["linux/close_range.h"], r"CLOSE_RANGE_\w+", {}),
    ("xattr", "flags", ["linux/xattr.h"], r"XATTR_(CREATE|REPLACE)", {}),
    ("mlock", "flags", ["linux/mman.h", "asm/mman.h"], r"MCL_(CURRENT|FUTURE|ONFAULT)", {}),
    ("pkey", "flags", ["linux/mman.h", "asm/mman.h"], r"PKEY_DISABLE_\w+", {}),
    ("umount", "flags", ["sys/mount.h"], r"MNT_(FORCE|DETACH|EXPIRE)|UMOUNT_NOFOLLOW", {}),
    ("mount", "flags", ["linux/mount.h"], r"MS_(RDONLY|NOSUID|NODEV|NOEXEC|SYNCHRONOUS|"
     r"REMOUNT|MANDLOCK|DIRSYNC|NOSYMFOLLOW|NOATIME|NODIRATIME|BIND|MOVE|REC|SILENT|"
     r"POSIXACL|UNBINDABLE|PRIVATE|SLAVE|SHARED|RELATIME|KERNMOUNT|I_VERSION|STRICTATIME|"
     r"LAZYTIME)", {}),
    ("unshare", "flags", ["linux/sched.h"], r"CLONE_\w+",
     dict(drop=r"CLONE_(NEWCGROUP_DUMMY|ARGS_SIZE_VER\d|LEGACY_FLAGS)")),
    ("si_code", "enum", ["asm/siginfo.h"], r"SI_(USER|KERNEL|QUEUE|TIMER|MESGQ|ASYNCIO|SIGIO|"
     r"TKILL|DETHREAD|ASYNCNL)|CLD_(EXITED|KILLED|DUMPED|TRAPPED|STOPPED|CONTINUED)", {}),
    # pointer casts in the headers: their values as the kernel sees them
    ("sig_handler", "enum", [], r"", dict(values=[("SIG_DFL", 0), ("SIG_IGN", 1),
                                                 ("SIG_ERR", 2**64 - 1)])),
    ("rlim", "enum", [], r"", dict(values=[("RLIM64_INFINITY", 2**64 - 1)])),
    # prctl's PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_CAP_AMBIENT.  local: their
    # names are found through the set only, not by sr_const_value(), where
    # capset's "1<<CAP_CHOWN|1<<CAP_KILL" would become a number of no names
    ("capability", "enum", ["linux/capability.h"], r"CAP_\w+",
     dict(drop=r"CAP_LAST_CAP", local=True)),
    ("cap_ambient", "enum", ["linux/prctl.h"], r"PR_CAP_AMBIENT_(RAISE|LOWER|IS_SET|CLEAR_ALL)",
     dict(local=True)),
]

# Fields from set "signal" named the way strace prints real-time signals.
RT_MAX = 64


def cc():
    return os.environ.get("CC", "cc")


def macros_of(headers):
    """The macro names defined by headers, in definition order."""
    if not headers:
        return []
    src = "".join("#include <%s>\n" % h for h in headers)
    out = subprocess.run([cc(), "-E", "-dD", "-D_GNU_SOURCE", "-x", "c", "-"], input=src,
                         capture_output=True, text=True, check=True).stdout
    names = []
    for line in out.splitlines():
        m = re.match(r"#define\s+(\w+)(\s|$)", line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


def values_of(headers, names):
    """Compiles a program that prints the value of each name; drops the
    names that are not integer constants (the compiler says which)."""
    names = list(names)
    while names:
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "v.c")
            exe = os.path.join(d, "v")
            with open(src, "w") as f:
                f.write("#define _GNU_SOURCE\n#include <stdio.h>\n")
                for h in headers:
                    f.write("#include <%s>\n" % h)
                f.write("int main(void) {\n")
                for n in names:
                    f.write('\tprintf("%%s %%lld\\n", "%s", (long long)(%s) + 0 * '
                            'sizeof(char[(%s) * 0 + 1]));\n' % (n, n, n))
                f.write("\treturn 0;\n}\n")
            r = subprocess.run([cc(), "-w", "-o", exe, src], capture_output=True, text=True)
            if r.returncode:
                bad = set()
                lines = open(src).read().splitlines()
                for m in re.finditer(r"v\.c:(\d+):", r.stderr):
                    ln = int(m.group(1))
                    if ln <= len(lines):
                        mm = re.search(r'"(\w+)"', lines[ln - 1])
                        if mm:
                            bad.add(mm.group(1))
                if not bad:
                    sys.exit("cannot evaluate constants of %s:\n%s" % (headers, r.stderr))
                names = [n for n in names if n not in bad]
                continue
            out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
            return [(l.split()[0], int(l.split()[1])) for l in out.splitlines()]
    return []


def build_set(name, kind, headers, rx, opt, karch=None):
    """The lines of one set in constants.in; with karch, of that
    architecture: linux-libc-dev's x86_64 values with what
    linux-source-6.1's headers define otherwise on karch (see KArch)."""
    all_names = macros_of(headers)
    drop = re.compile(r"^(%s)$" % opt["drop"]) if "drop" in opt else None
    field = list(opt.get("field", []))
    if "fieldx" in opt:
        field = [n for n in all_names if re.fullmatch(opt["fieldx"], n)]
    want = [n for n in all_names if re.fullmatch(rx, n) and not (drop and drop.match(n))]
    extra = field + ([opt["zero"]] if "zero" in opt else [])
    vals = dict(values_of(headers, want + extra)) if headers else {}
    if karch:
        all_names, vals = karch.patch(headers, rx, opt, all_names, vals)
        want = [n for n in all_names if re.fullmatch(rx, n) and not (drop and drop.match(n))]
        if "fieldx" in opt:
            field = [n for n in all_names if re.fullmatch(opt["fieldx"], n)]
    for n, v in opt.get("values", []):
        want.append(n)
        vals[n] = v
    bits = []
    seen = set()
    for n in want:
        if n in vals and n not in field and vals[n] not in seen:
            seen.add(vals[n])
            bits.append((vals[n], n))
    if "order" in opt:
        rank = {n: i for i, n in enumerate(opt["order"])}
        bits.sort(key=lambda e: rank.get(e[1], len(rank)))
    elif kind == "flags":
        # strace prints bits in the order of their values; a name covering
        # several bits before the single bits it includes
        bits.sort(key=lambda e: ((e[0] & -e[0]) if e[0] > 0 else 0, -bin(e[0] & (2**64 - 1)).count("1")))
    fentries = []
    fseen = set()
    for n in field:
        if n in vals and vals[n] not in fseen:
            fseen.add(vals[n])
            fentries.append((vals[n], n))
    mask = opt.get("mask", 0)
    for v, _ in fentries:
        mask |= v
    if kind == "flags":
        bits = [(v, n) for v, n in bits if v != 0]
    if "zero" in opt and opt["zero"] in vals:
        fentries.insert(0, (0, opt["zero"]))
    if name == "signal":
        # real-time signals: strace prints SIGRTMIN and SIGRT_n
        bits = [(v, n) for v, n in bits if v < 32]
        bits.append((32, "SIGRTMIN"))
        for i in range(1, RT_MAX - 32 + 1):
            bits.append((32 + i, "SIGRT_%d" % i))
    head = "@%s %s %#x" % (name, kind, mask)
    if "fieldset" in opt:
        head += " set=" + opt["fieldset"]
    if opt.get("residue") == "oct":
        head += " oct"
    if opt.get("local"):
        head += " local"
    lines = [head]
    lines += ["= %#x %s" % (v & (2**64 - 1), n) for v, n in fentries]
    lines += ["%#x %s" % (v & (2**64 - 1), n) for v, n in bits]
    return lines


# ---------------------------------------------------------------------------
# Other architectures.  linux-libc-dev has x86_64's headers only; the uapi
# headers of linux-source-6.1 have every architecture's.  A set's values on
# i386 or aarch64 are x86_64's with the differences between the kernel
# source's headers for x86_64 and for that architecture applied (a name
# defined otherwise, defined only there like PROT_BTI, or not there like
# MAP_32BIT), so that a libc header's constants (AF_*, SOCK_*: the same
# generic glibc values on the three) stay as they are.  The values are read
# by compiling for the architecture (clang --target, -S: no libc or linker
# needed) and reading the assembly, so sizes in _IOR() are the target's.

KARCH = {"x86_64": ("x86", "x86_64-linux-gnu"), "i386": ("x86", "i386-linux-gnu"),
         "aarch64": ("arm64", "aarch64-linux-gnu")}
KUAPI = ["linux-source-6.1/include/uapi/", "linux-source-6.1/arch/x86/include/uapi/",
         "linux-source-6.1/arch/arm64/include/uapi/"]


def clang():
    return os.environ.get("CLANG", "clang")


def kernel_uapi():
    """A directory holding linux-source-6.1's uapi headers: $SR_KSRC when
    set (an unpacked tree), else the parts of KSRC unpacked once into a
    temporary directory."""
    if os.environ.get("SR_KSRC"):
        return os.environ["SR_KSRC"], None
    tmp = tempfile.TemporaryDirectory()
    subprocess.run(["tar", "-xJf", KSRC, "-C", tmp.name, "--wildcards"] +
                   [d + "*" for d in KUAPI], check=True)
    return os.path.join(tmp.name, "linux-source-6.1"), tmp


class KArch:
    """The uapi headers of linux-source-6.1 as one architecture's compiler
    sees them."""

    def __init__(self, arch, root, workdir):
        karch, self.target = KARCH[arch]
        self.arch = arch
        self.inc = os.path.join(workdir, arch)
        # the asm/ headers the architecture takes from asm-generic (its
        # Kbuild's generic-y and asm-generic's mandatory-y) are generated
        # one-line wrappers in the kernel's build; make them here
        asm = os.path.join(self.inc, "asm")
        os.makedirs(asm, exist_ok=True)
        own = os.path.join(root, "arch", karch, "include", "uapi")
        gen = os.path.join(root, "include", "uapi", "asm-generic")
        for h in os.listdir(gen):
            if h.endswith(".h") and not os.path.exists(os.path.join(own, "asm", h)):
                with open(os.path.join(asm, h), "w") as f:
                    f.write("#include <asm-generic/%s>\n" % h)
        # what headers_install does to them: no kernel-internal includes
        # or annotations
        os.makedirs(os.path.join(self.inc, "linux"), exist_ok=True)
        for h in ("compiler.h", "compiler_types.h"):
            open(os.path.join(self.inc, "linux", h), "w").close()
        # linux/if.h takes struct sockaddr from the libc
        os.makedirs(os.path.join(self.inc, "sys"), exist_ok=True)
        with open(os.path.join(self.inc, "sys", "socket.h"), "w") as f:
            f.write("#include <linux/socket.h>\n"
                    "struct sockaddr { __kernel_sa_family_t sa_family; char sa_data[14]; };\n")
        res = subprocess.run([clang(), "-print-resource-dir"], capture_output=True, text=True,
                             check=True).stdout.strip()
        self.dirs = [self.inc, own, os.path.join(root, "include", "uapi")]
        self.flags = ["--target=" + self.target, "-D__EXPORTED_HEADERS__", "-D__user=",
                      "-D__force=", "-D__iomem=", "-nostdinc", "-isystem",
                      os.path.join(res, "include"), "-I", self.inc, "-I", own,
                      "-I", os.path.join(root, "include", "uapi")]
        self.cache = {}

    def macros(self, headers):
        src = "".join("#include <%s>\n" % h for h in headers)
        r = subprocess.run([clang()] + self.flags + ["-E", "-dD", "-x", "c", "-"], input=src,
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit("cannot read %s for %s:\n%s" % (headers, self.arch, r.stderr))
        out = r.stdout
        names = []
        for line in out.splitlines():
            m = re.match(r"#define\s+(\w+)(\s|$)", line)
            if m and m.group(1) not in names:
                names.append(m.group(1))
        return names

    def values(self, headers, names):
        """name -> value of the names that are integer constants."""
        names = list(names)
        while names:
            with tempfile.TemporaryDirectory() as d:
                src = os.path.join(d, "v.c")
                asm = os.path.join(d, "v.s")
                with open(src, "w") as f:
                    for h in headers:
                        f.write("#include <%s>\n" % h)
                    # what 32-bit SIOCGSTAMP and SIOCGSTAMPNS depend on: the
                    # libc's struct timeval and timespec, here those of a
                    # libc with the kernel's time types (Debian's i386
                    # glibc by default: 32-bit time_t)
                    f.write("#ifndef _UAPI_LINUX_TIME_H\nstruct timeval { long tv_sec, tv_usec; };"
                            "\n#endif\n#ifndef _STRUCT_TIMESPEC\nstruct timespec { long tv_sec, "
                            "tv_nsec; };\n#endif\n")
                    for i, n in enumerate(names):
                        f.write("const unsigned long long sr_v%d = (unsigned long long)(%s);"
                                " /* \"%s\" */\n" % (i, n, n))
                r = subprocess.run([clang()] + self.flags + ["-w", "-S", "-o", asm, src],
                                   capture_output=True, text=True)
                if r.returncode:
                    lines = open(src).read().splitlines()
                    bad = set()
                    for m in re.finditer(r"v\.c:(\d+):", r.stderr):
                        ln = int(m.group(1))
                        mm = re.search(r'"(\w+)"', lines[ln - 1]) if ln <= len(lines) else None
                        if mm:
                            bad.add(mm.group(1))
                    if not bad:
                        sys.exit("cannot evaluate constants of %s on %s:\n%s" %
                                 (headers, self.arch, r.stderr))
                    names = [n for n in names if n not in bad]
                    continue
                return self.read_asm(open(asm).read(), names)
        return {}

    @staticmethod
    def read_asm(text, names):
        """The 64-bit values after each sr_vN label: one .quad/.xword, or two
        .long (low word first: the three are little-endian)."""
        res, cur, words = {}, None, []
        for line in text.splitlines():
            m = re.match(r"sr_v(\d+):", line)
            if m:
                cur, words = int(m.group(1)), []
                continue
            m = re.match(r"\s*\.(quad|xword|8byte|long|word)\s+(-?\d+)\b", line)
            if cur is None or not m:
                continue
            if m.group(1) in ("quad", "xword", "8byte"):
                res[names[cur]] = int(m.group(2)) & (2**64 - 1)
                cur = None
            else:
                words.append(int(m.group(2)) & 0xffffffff)
                if len(words) == 2:
                    res[names[cur]] = words[0] | words[1] << 32
                    cur = None
        if len(res) != len(names):
            sys.exit("read %d of %d values from the assembly" % (len(res), len(names)))
        return res

    def set_values(self, headers, rx, opt):
        # a header the architecture has not (asm/prctl.h on aarch64):
        # its names are not there
        kh = tuple(h for h in headers if h.startswith(("asm/", "linux/")) and
                   any(os.path.exists(os.path.join(d, h)) for d in self.dirs))
        if not kh:
            return [], {}
        if kh not in self.cache:
            self.cache[kh] = self.macros(kh)
        names = self.cache[kh]
        pat = "|".join("(?:%s)" % x for x in [rx, opt.get("fieldx", "^$")] +
                       [re.escape(n) for n in opt.get("field", []) + [opt.get("zero", "")]
                        if n])
        want = [n for n in names if re.fullmatch(pat, n)]
        return names, self.values(kh, want) if want else {}


class KPatch:
    """Turns linux-libc-dev's x86_64 names and values of a set into arch's."""

    def __init__(self, base, other):
        self.base, self.other = base, other

    def patch(self, headers, rx, opt, all_names, vals):
        bn, bv = self.base.set_values(headers, rx, opt)
        on, ov = self.other.set_values(headers, rx, opt)
        vals = dict(vals)
        for n in set(bv) | set(ov):
            if n in ov:
                vals[n] = ov[n]
            else:
                vals.pop(n, None)
        return all_names + [n for n in on if n not in all_names], vals


def constants(outdir):
    out = ["# constant sets of sysrep's semantic records, from linux-libc-dev and libc6-dev",
           "# by scripts/gen-semantic.py: do not edit.  '@set kind mask': a set; '= V NAME':",
           "# a value of its multi-bit field (mask); 'V NAME': a bit (flags) or a value (enum)."]
    base = {}
    for name, kind, headers, rx, opt in SETS:
        base[name] = build_set(name, kind, headers, rx, opt)
        out += base[name]
    with open(os.path.join(outdir, "constants.in"), "w") as f:
        f.write("\n".join(out) + "\n")
    root, keep = kernel_uapi()
    with tempfile.TemporaryDirectory() as work:
        kx = KArch("x86_64", root, work)
        for arch in ARCHES[1:]:
            kp = KPatch(kx, KArch(arch, root, work))
            out = ["# the constant sets whose values on %s differ from x86_64's (constants.in)," %
                   arch,
                   "# whole, by scripts/gen-semantic.py from linux-source-6.1's uapi headers:",
                   "# do not edit.  The format of constants.in."]
            for name, kind, headers, rx, opt in SETS:
                lines = build_set(name, kind, headers, rx, opt, kp)
                if lines != base[name]:
                    out += lines
            with open(os.path.join(outdir, "constants_%s.in" % arch), "w") as f:
                f.write("\n".join(out) + "\n")
    if keep:
        keep.cleanup()


# ---------------------------------------------------------------------------
# Signatures

def man_synopses():
    """name -> (return type, [(ctype, name)]) from manpages-dev section 2,
    the variant with the most arguments where a page shows several."""
    res = {}
    for fn in sorted(os.listdir(MAN2)):
        path = os.path.join(MAN2, fn)
        try:
            with gzip.open(path, "rt", errors="replace") as f:
                t = f.read()
        except OSError:
            continue
        m = re.search(r"^\.SH SYNOPSIS\n(.*?)^\.SH ", t, re.S | re.M)
        if not m:
            continue
        parts = []
        for line in m.group(1).split("\n"):
            line = re.sub(r"\\f[BIRP]", "", line)
            if line.startswith("."):
                mm = re.match(r"\.(BI|B|BR|IR|RI|I|IB|RB)\s+(.*)", line)
                if not mm:
                    parts.append(";\n")
                    continue
                line = mm.group(2)
            line = line.replace('"', "").replace("\\ ", " ").replace("\\-", "-")
            if line.endswith("\\"):
                line = line[:-1]
            parts.append(line + " ")
        s = re.sub(r"/\*.*?\*/", " ", "".join(parts))
        for mm in re.finditer(r"([A-Za-z_][\w \t*]*?)\b(\w+)\s*\(([^()]*)\)\s*;", s):
            ret, name, args = mm.group(1).strip(), mm.group(2), mm.group(3)
            # "void buf[.count]": an array parameter is a pointer
            args = re.sub(r"(\w+)\s*\[[^\]]*\]", r"*\1", args)
            alist = [a.strip() for a in args.split(",") if a.strip()]
            if name == "syscall" and alist and alist[0].startswith("SYS_"):
                name = alist[0][4:]
                alist = alist[1:]
            parsed = []
            for a in alist:
                a = re.sub(r"\b(_Nullable|_Nonnull|restrict|__restrict)\b", "", a).strip()
                if a == "void":
                    continue
                if a == "...":
                    parsed.append(("...", "..."))
                    continue
                mm2 = re.match(r"(.*?)(\w+)\s*$", a)
                if not mm2 or not mm2.group(1).strip():
                    parsed = None
                    break
                parsed.append((" ".join(mm2.group(1).split()), mm2.group(2)))
            if parsed is None:
                continue
            if name not in res or len(parsed) > len(res[name][1]):
                res[name] = (ret, parsed)
    return res


def kernel_protos():
    # tar(1) with xz is much faster than Python's tarfile on a 130 MB .tar.xz
    text = subprocess.run(["tar", "-xJOf", KSRC, KHDR], capture_output=True,
                          check=True).stdout.decode()
    res = {}
    for m in re.finditer(r"asmlinkage long sys_(\w+)\(([^;]*?)\);", text, re.S):
        name, args = m.group(1), " ".join(m.group(2).split())
        parsed = []
        for a in [x.strip() for x in args.split(",")]:
            if a in ("void", ""):
                continue
            a = a.replace("__user", "").strip()
            mm = re.match(r"(.*[\s*])(\w+)$", a)
            if mm and mm.group(2) not in ("int", "long", "char", "short", "unsigned") \
                    and not mm.group(1).strip().endswith(("struct", "union", "enum")):
                parsed.append((" ".join(mm.group(1).split()), mm.group(2)))
            else:
                parsed.append((" ".join(a.split()), None))
        res.setdefault(name, parsed)
    return res


# kernel sys_ names of the calls strace names otherwise
KALIAS = {"_llseek": "llseek", "mmap2": "mmap_pgoff", "_newselect": "select",
          "umount2": "umount", "oldstat": "stat", "oldfstat": "fstat", "oldlstat": "lstat",
          "stat": "newstat", "fstat": "newfstat", "lstat": "newlstat", "uname": "newuname",
          "olduname": "uname", "oldolduname": "olduname", "sigaction": "sigaction",
          "vm86old": "vm86old", "pread64": "pread64", "pwrite64": "pwrite64",
          "fadvise64_64": "fadvise64_64", "mmap": "mmap_pgoff", "sync_file_range2":
          "sync_file_range2", "rt_sigreturn": "rt_sigreturn", "sigreturn": "sigreturn",
          "fcntl64": "fcntl64"}
MALIAS = {"_llseek": "llseek", "_newselect": "select", "umount2": "umount2",
          "newfstatat": "fstatat", "fstatat64": "fstatat", "fcntl64": "fcntl",
          "pread64": "pread", "pwrite64": "pwrite", "mmap2": "mmap2", "getdents64": "getdents64",
          "fadvise64": "posix_fadvise", "fadvise64_64": "posix_fadvise",
          "oldstat": "stat", "oldfstat": "fstat", "oldlstat": "lstat",
          "stat64": "stat", "fstat64": "fstat", "lstat64": "lstat", "truncate64": "truncate",
          "ftruncate64": "ftruncate", "statfs64": "statfs", "fstatfs64": "fstatfs",
          "sendfile64": "sendfile", "prlimit64": "prlimit", "ugetrlimit": "getrlimit",
          "wait4": "wait4", "rt_sigaction": "sigaction", "rt_sigprocmask": "sigprocmask",
          "rt_sigsuspend": "sigsuspend", "rt_sigpending": "sigpending",
          "rt_sigtimedwait": "sigtimedwait", "rt_sigqueueinfo": "rt_sigqueueinfo",
          "pselect6": "pselect", "ppoll": "ppoll", "epoll_pwait": "epoll_pwait",
          "signalfd4": "signalfd", "eventfd2": "eventfd", "inotify_init1": "inotify_init1",
          "epoll_create1": "epoll_create1", "dup3": "dup3", "pipe2": "pipe2",
          "clock_nanosleep": "clock_nanosleep", "exit_group": "exit_group"}
for _n in ["chown32", "lchown32", "fchown32", "getuid32", "geteuid32", "getgid32", "getegid32",
           "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32", "getresuid32",
           "setresgid32", "getresgid32", "setfsuid32", "setfsgid32", "getgroups32",
           "setgroups32"]:
    MALIAS[_n] = _n[:-2]
    KALIAS.setdefault(_n, _n[:-2])

DIRFD = {"dirfd", "dfd", "olddirfd", "newdirfd", "olddfd", "newdfd", "fromdirfd", "todirfd",
         "from_dfd", "to_dfd"}
FD = {"fd", "oldfd", "newfd", "sockfd", "fd_in", "fd_out", "epfd", "ufd", "in_fd", "out_fd",
      "fdin", "fdout", "pidfd", "mqdes", "fd_to_attach", "fs_fd", "ruleset_fd", "targetfd",
      "ring_fd", "timerfd", "tfd", "group_fd", "cgroup_fd"}
PATHS = {"pathname", "path", "filename", "oldpath", "newpath", "target", "linkpath",
         "oldname", "newname", "specialfile", "source", "dev_name", "dir_name", "library",
         "put_old", "new_root", "from_pathname", "to_pathname", "special", "pathname1"}


def sem_type(ctype, name):
    """The semantic type of an argument from its C type and name."""
    c = ctype.replace("const ", "").replace("unsigned ", "u").strip()
    star = "*" in c
    if name in DIRFD:
        return "dirfd"
    if name in FD and not star:
        return "fd"
    if star and re.search(r"\bchar\b", c) and c.count("*") == 1:
        return "path" if name in PATHS else "str"
    if star and c.count("*") == 2 and "char" in c:
        return "strv"
    m = re.match(r"(struct|union)\s+(\w+)\s*\*", c)
    if m:
        return "struct/" + m.group(2)
    if star and name in ("buf", "ubuf"):
        return "buf"
    if star:
        return "ptr"
    if c in ("pid_t",) or name in ("pid", "tgid", "tid", "upid"):
        return "pid"
    if c in ("uid_t", "old_uid_t") or name in ("uid", "ruid", "euid", "suid", "owner", "user"):
        return "uid"
    if c in ("gid_t", "old_gid_t") or name in ("gid", "rgid", "egid", "sgid", "group"):
        return "gid"
    if c in ("mode_t", "umode_t"):
        return "mode"
    if c in ("size_t", "usize_t", "socklen_t", "ssize_t") or name in ("count", "len", "size",
                                                                     "length", "bufsiz"):
        return "size"
    if c in ("off_t", "loff_t") or name in ("offset", "pos"):
        return "offset"
    return "int"


def read_hand(path):
    """core/tables/semantic-hand.in: argument overrides and return types."""
    args, rets, full = {}, {}, {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            if line[0] == "ret":
                for sc in line[2:]:
                    rets[sc] = line[1]
            elif line[0] == "args":
                # the whole list, for calls no synopsis gives well
                for sc in line[1].split(","):
                    full[sc] = line[2:]
            elif line[0] in ("field", "when", "by"):
                pass
            else:
                for sc in line[0].split(","):
                    for a in line[1:]:
                        k, v = a.split("=", 1)
                        args.setdefault(sc, {})[k] = v
    return args, rets, full


RET_BY_CTYPE = {"pid_t": "pid", "ssize_t": "size", "off_t": "offset", "void *": "addr",
                "uid_t": "uid", "gid_t": "gid", "mode_t": "mode"}


def signatures(outdir, hand):
    man = man_synopses()
    kern = kernel_protos()
    args_o, rets, full = read_hand(hand)
    for arch in ARCHES:
        nrs = []
        with open(os.path.join(outdir, "syscalls_%s.in" % arch)) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    nrs.append(line.split()[1])
        out = ["# %s syscall signatures, by scripts/gen-semantic.py from manpages-dev's" % arch,
               "# section-2 synopses, linux-source-6.1's include/linux/syscalls.h and",
               "# core/tables/semantic-hand.in: do not edit.",
               "# NAME RETURN ARG... with ARG = name:type or name:type/set"]
        for sc in sorted(set(nrs)):
            # i386's 64-bit-time calls (clock_gettime64, ppoll_time64) take
            # the arguments of the x86_64 call of the base name
            base = sc[:-len("_time64")] if sc.endswith("_time64") else \
                sc[:-2] if sc.endswith("time64") else sc
            if sc in full or base in full:
                alist = full.get(sc) or full[base]
            else:
                k = kern.get(KALIAS.get(sc, sc)) or kern.get(sc) or kern.get(base)
                m = man.get(MALIAS.get(sc, sc)) or man.get(sc) or \
                    man.get(MALIAS.get(base, base))
                margs = [a for a in m[1] if a[0] != "..."] if m else None
                if m and any(a[0] == "..." for a in m[1]) and k and len(k) > len(margs):
                    margs = margs + [("long", "arg")] * (len(k) - len(margs))
                if k is not None and margs is not None and len(margs) == len(k):
                    # the kernel's types (char __user *buf), the manual's names
                    src = [(ct, margs[i][1]) for i, (ct, _) in enumerate(k)]
                elif k is not None:
                    src = [(ct, nm if nm else (margs[i][1] if margs and i < len(margs) else
                                                "arg%d" % i)) for i, (ct, nm) in enumerate(k)]
                elif margs is not None:
                    src = margs
                else:
                    src = None
                if src is None:
                    out.append("%s ? ?" % sc)
                    continue
                alist = []
                for ct, nm in src:
                    alist.append("%s:%s" % (nm, sem_type(ct, nm)))
            ov = args_o.get(sc) or args_o.get(base, {})
            res = []
            for a in alist:
                nm, ty = a.split(":", 1)
                if nm in ov:
                    ty = ov[nm]
                res.append("%s:%s" % (nm, ty))
            ret = rets.get(sc) or rets.get(base)
            if not ret:
                m = man.get(MALIAS.get(sc, sc)) or man.get(sc) or man.get(MALIAS.get(base, base))
                ret = RET_BY_CTYPE.get(m[0].replace("const ", "")) if m else None
                ret = ret or "int"
            out.append(" ".join([sc, ret] + res))
        with open(os.path.join(outdir, "signatures_%s.in" % arch), "w") as f:
            f.write("\n".join(out) + "\n")


# ---------------------------------------------------------------------------
# Header

TYPES = ["int", "fd", "dirfd", "path", "str", "strv", "buf", "ptr", "pid", "uid", "gid", "mode",
         "size", "offset", "flags", "enum", "signal", "struct", "addr", "errno", "xint", "sigset",
         "vec", "dents", "resumed"]


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_sets(lines):
    sets = []
    for l in lines:
        if l.startswith("@"):
            p = l[1:].split()
            opts = p[3:]
            sets.append(dict(name=p[0], kind=p[1], mask=int(p[2], 16), field=[], bits=[],
                             fset=next((o[4:] for o in opts if o.startswith("set=")), ""),
                             oct="oct" in opts, local="local" in opts, lines=[l]))
        elif l.startswith("= "):
            v, n = l[2:].split()
            sets[-1]["field"].append((int(v, 16), n))
            sets[-1]["lines"].append(l)
        else:
            v, n = l.split()
            sets[-1]["bits"].append((int(v, 16), n))
            sets[-1]["lines"].append(l)
    return sets


def header(ins, out):
    """Every set exists once per architecture (ARCHES order, set index
    1 + arch * nsets + k), so that a set index alone says whose values it
    has: the signatures of an architecture refer to its sets.  A set that
    no constants_<arch>.in redefines shares x86_64's entries."""
    sets, sigs, fields, whens, variant = [], {}, [], [], {a: {} for a in ARCHES}
    bys = []
    for path in ins:
        base = os.path.basename(path)
        with open(path) as f:
            lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        if base == "constants.in":
            sets = read_sets(lines)
        elif base.startswith("constants_"):
            arch = base[len("constants_"):-3]
            variant[arch] = {st["name"]: st for st in read_sets(lines)}
        elif base.startswith("signatures_"):
            arch = base[len("signatures_"):-3]
            sigs[arch] = [l.split() for l in lines]
        elif base == "semantic-hand.in":
            with open(path) as f:
                for l in f:
                    p = l.split("#", 1)[0].split()
                    if p and p[0] == "field":
                        fields.append((p[1], p[2]))
                    elif p and p[0] == "when":
                        # when CALL[,CALL...]|field SEL=NAME[,SEL=NAME] TARGET=TYPE [AS]
                        sel = [x.split("=", 1) for x in p[2].split(",")]
                        tgt, ty = p[3].split("=", 1)
                        for sc in p[1].split(","):
                            whens.append((None if sc == "field" else sc, tgt, sel, ty,
                                          p[4] if len(p) > 4 else None))
                    elif p and p[0] == "by":
                        # by CALL SEL=NAME [AS:TYPE...]
                        bys.append((p[1], p[2].split("=", 1), [x.split(":", 1) for x in p[3:]]))
    # "by" lines: the arguments after the selector, named for one of its
    # values; those it does not list are unused there (docs/semantic-record.md)
    for sc, (selarg, selname), named in bys:
        row = next((r for a in ARCHES for r in sigs.get(a, []) if r[0] == sc), None)
        if row is None:
            sys.exit("by: unknown call %s" % sc)
        anames = [x.split(":", 1)[0] for x in row[2:]]
        if selarg not in anames:
            sys.exit("by %s: no argument %s" % (sc, selarg))
        rest = [(i, n) for i, n in enumerate(anames) if n != selarg]
        if len(named) > len(rest):
            sys.exit("by %s %s: more names than arguments" % (sc, selname))
        for k, (i, n) in enumerate(rest):
            nm, ty = named[k] if k < len(named) else ("unused%d" % i, "int")
            whens.append((sc, n, [[selarg, selname]], ty, nm))
    nsets = len(sets)
    setk = {s["name"]: k for k, s in enumerate(sets)}
    arch_sets = {a: [variant[a].get(s["name"], s) for s in sets] for a in ARCHES}
    value = {}
    for a in ARCHES:
        value[a] = {}
        for st in arch_sets[a]:
            for v, n in st["field"] + st["bits"]:
                value[a].setdefault(n, v)

    def setidx(name, ai):
        return 1 + ai * nsets + setk[name] if name in setk else 0

    # the rules of one (call, argument) or member are consecutive; the
    # argument's or member's entry points at the first (1-based); each
    # architecture has its copy, with its sets and selector values
    whens.sort(key=lambda w: (w[0] or "", w[1]))  # stable: a call's rules keep their order
    first_when, first_call = [{} for _ in ARCHES], [{} for _ in ARCHES]
    for ai in range(len(ARCHES)):
        for i, w in enumerate(whens):
            first_when[ai].setdefault((w[0], w[1]), ai * len(whens) + i + 1)
            if w[0]:
                first_call[ai].setdefault(w[0], ai * len(whens) + i + 1)
    for (sc, tgt) in first_when[0]:
        if sc is None and tgt not in [f[0] for f in fields]:
            fields.append((tgt, "int"))
    # struct members have one table: their sets must be the same on all
    for t in [f[1] for f in fields] + [w[3] for w in whens if w[0] is None]:
        setn = t.partition("/")[2]
        for a in ARCHES:
            if setn in variant[a]:
                sys.exit("member type %s: set %s differs on %s, and members have one table"
                         % (t, setn, a))

    def tyref(t, ai):
        base, _, setn = t.partition("/")
        if base not in TYPES:
            sys.exit("unknown type %s" % t)
        si = setidx(setn, ai) if base in ("flags", "enum", "mode", "signal", "fd", "dirfd") \
            else 0
        if base in ("flags", "enum") and setn and not si:
            sys.exit("unknown set %s" % setn)
        return "SR_T_%s, %d" % (base.upper(), si)

    def whenref(ai, sc, name=None):
        """The first rule of call sc (of member name when sc is None)."""
        return first_call[ai].get(sc, 0) if sc else first_when[ai].get((None, name), 0)

    o = ["/* generated by scripts/gen-semantic.py from core/tables/{constants,constants_*,"
         "signatures_*,semantic-hand}.in: do not edit */", ""]
    o.append("static const struct sem_const sem_consts[] = {")
    start = {}
    k = 0
    for tag, lst in [("", sets)] + [(a, list(variant[a].values())) for a in ARCHES]:
        for s in lst:
            start[(tag, s["name"])] = k
            for v, n in s["field"] + s["bits"]:
                o.append("\t{ %#xull, %s, %d }," % (v, cstr(n), len(n)))
                k += 1
    o.append("\t{ 0, 0, 0 }\n};\n")
    o.append("static const struct sem_set sem_sets[] = {")
    o.append("\t{ 0 },")
    for ai, a in enumerate(ARCHES):
        for s in arch_sets[a]:
            st = start[(a if s["name"] in variant[a] else "", s["name"])]
            fs = setidx(s["fset"], ai)
            o.append("\t{ %s, %d, %#xull, %d, %d, %d, %d, %d, SR_ARCH_%s }," %
                     (cstr(s["name"]), s["kind"] == "flags", s["mask"], st, len(s["field"]),
                      len(s["bits"]), fs, s["oct"], a.upper()))
    o.append("};\n")
    # per architecture every name once (the first set that has it), sorted,
    # for name -> value
    for a in ARCHES:
        first = {}
        for s in arch_sets[a]:
            st = start[(a if s["name"] in variant[a] else "", s["name"])]
            for i, (v, n) in enumerate(s["field"] + s["bits"]):
                if not s["local"]:
                    first.setdefault(n, st + i)
        o.append("static const uint16_t sem_by_name_%s[] = {" % a)
        o += ["\t%d," % first[n] for n in sorted(first, key=lambda x: x.encode())]
        o.append("};\n")
    for ai, a in enumerate(ARCHES):
        if a not in sigs:
            continue
        rows = sorted(sigs[a], key=lambda r: r[0].encode())
        o.append("static const struct sr_signature sem_sigs_%s[] = {" % a)
        for r in rows:
            name, ret, args = r[0], r[1], r[2:]
            if ret == "?":
                o.append("\t{ %s, SR_T_INT, 0, -1, {{ 0 }}, 0 }," % cstr(name))
                continue
            al = ", ".join("{ %s, %s }" % (cstr(x.split(":", 1)[0]),
                                           tyref(x.split(":", 1)[1], ai)) for x in args)
            o.append("\t{ %s, %s, %d, { %s }, %d }," % (cstr(name), tyref(ret, ai), len(args),
                                                       al or "{ 0 }", whenref(ai, name)))
        o.append("};\n")
    o.append("static const struct sem_field sem_fields[] = {")
    for n, t in sorted(fields, key=lambda x: x[0].encode()):
        o.append("\t{ { %s, %s }, %d }," % (cstr(n), tyref(t, 0), whenref(0, None, n)))
    o.append("};\n")
    o.append("static const struct sem_when sem_whens[] = {")
    o.append("\t{ { 0 }, { 0 }, 0, { 0 }, 0, 0 },")
    for ai, a in enumerate(ARCHES):
        for i, (sc, tgt, sel, ty, as_) in enumerate(whens):
            for _, nm in sel:
                if nm not in value[a]:
                    sys.exit("when: unknown constant %s on %s" % (nm, a))
            # the last rule of a call, or of a member
            last = i + 1 == len(whens) or whens[i + 1][0] != sc or \
                (sc is None and whens[i + 1][1] != tgt)
            sels = ", ".join(cstr(x) for x, _ in sel)
            vals = ", ".join("%#xull" % value[a][y] for _, y in sel)
            o.append("\t{ { %s }, { %s }, %d, { %s, %s }, %d, %s }," %
                     (sels, vals, len(sel), cstr(tgt), tyref(ty, ai), last,
                      cstr(as_) if as_ else "0"))
    o.append("};")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(o) + "\n")
    os.replace(tmp, out)


def main(argv):
    if len(argv) >= 2 and argv[1] == "tables":
        outdir = argv[2] if len(argv) > 2 else "core/tables"
        constants(outdir)
        signatures(outdir, os.path.join(outdir, "semantic-hand.in"))
    elif len(argv) >= 4 and argv[1] == "header":
        header(argv[2:-1], argv[-1])
    else:
        sys.exit("usage: gen-semantic.py tables [OUTDIR] | header IN... OUT")


if __name__ == "__main__":
    main(sys.argv)
