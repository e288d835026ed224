/*
 * prog.c - a program whose trace posix-omni-parser (2013) can parse: no C
 * library (its start-up makes calls the parser has no definition for and
 * stops on: arch_prctl, rseq, openat with AT_FDCWD), only calls from its
 * sys_defs.txt, made with the syscall instruction.  x86_64.
 *
 *   cc -O1 -static -nostdlib -fno-stack-protector -o prog prog.c
 */
typedef unsigned long u64;

static long sys(long nr, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

struct sin {
	unsigned short family, port;
	unsigned int addr;
	char zero[8];
};

static char buf[256];
static struct { char st[144]; } stbuf;
static struct { char f[120]; } sfs;

void _start(void)
{
	const char *d = "/tmp/sysrep-omni/d";
	struct sin a = { 2, 0x1027 /* htons(10000) */, 0x0100007f /* 127.0.0.1 */, { 0 } };
	int one = 1, len = sizeof(one);
	long fd, s, s2;

	sys(80, (long)d, 0, 0, 0, 0);                                   /* chdir */
	fd = sys(2, (long)"data.txt", 0101 | 01000, 0644, 0, 0);        /* open O_WRONLY|O_CREAT|O_TRUNC */
	sys(1, fd, (long)"hello\tworld\n\1\2\377 a line long enough to be cut by strace", 50, 0, 0);
	sys(3, fd, 0, 0, 0, 0);                                         /* close */
	fd = sys(2, (long)"data.txt", 0, 0, 0, 0);                      /* open O_RDONLY */
	sys(0, fd, (long)buf, 16, 0, 0);                                /* read */
	sys(8, fd, 4, 0, 0, 0);                                         /* lseek SEEK_SET */
	sys(5, fd, (long)&stbuf, 0, 0, 0);                              /* fstat */
	sys(138, fd, (long)&sfs, 0, 0, 0);                              /* fstatfs */
	s = sys(32, fd, 0, 0, 0, 0);                                    /* dup */
	sys(33, s, 20, 0, 0, 0);                                        /* dup2 */
	sys(3, 20, 0, 0, 0, 0);
	sys(3, s, 0, 0, 0, 0);
	sys(3, fd, 0, 0, 0, 0);
	sys(3, 999, 0, 0, 0, 0);                                        /* EBADF */
	sys(21, (long)"data.txt", 4 | 2, 0, 0, 0);                      /* access R_OK|W_OK */
	sys(21, (long)"/nonexistent", 0, 0, 0, 0);                      /* ENOENT */
	sys(4, (long)"data.txt", (long)&stbuf, 0, 0, 0);                /* stat */
	sys(137, (long)".", (long)&sfs, 0, 0, 0);                       /* statfs */
	sys(86, (long)"data.txt", (long)"hard.txt", 0, 0, 0);           /* link */
	sys(88, (long)"data.txt", (long)"soft.txt", 0, 0, 0);           /* symlink */
	sys(87, (long)"hard.txt", 0, 0, 0, 0);                          /* unlink */
	sys(87, (long)"soft.txt", 0, 0, 0, 0);
	fd = sys(85, (long)"new.txt", 0600, 0, 0, 0);                   /* creat */
	sys(3, fd, 0, 0, 0, 0);
	sys(83, (long)"sub", 0755, 0, 0, 0);                            /* mkdir */
	sys(84, (long)"sub", 0, 0, 0, 0);                               /* rmdir */
	sys(84, (long)"sub", 0, 0, 0, 0);                               /* ENOENT */
	s = sys(41, 2, 1, 0, 0, 0);                                     /* socket AF_INET SOCK_STREAM */
	sys(54, s, 1, 2, (long)&one, sizeof(one));                      /* setsockopt SO_REUSEADDR */
	sys(55, s, 1, 2, (long)&one, (long)&len);                       /* getsockopt */
	sys(49, s, (long)&a, sizeof(a), 0, 0);                          /* bind */
	sys(50, s, 4, 0, 0, 0);                                         /* listen */
	len = sizeof(a);
	sys(51, s, (long)&a, (long)&len, 0, 0);                         /* getsockname */
	s2 = sys(41, 2, 1, 0, 0, 0);
	sys(42, s2, (long)&a, sizeof(a), 0, 0);                         /* connect */
	sys(48, s2, 1, 0, 0, 0);                                        /* shutdown SHUT_WR */
	sys(3, s2, 0, 0, 0, 0);
	sys(3, s, 0, 0, 0, 0);
	sys(87, (long)"new.txt", 0, 0, 0, 0);
	sys(87, (long)"data.txt", 0, 0, 0, 0);
	sys(231, 0, 0, 0, 0, 0);                                        /* exit_group */
	for (;;)
		;
}
