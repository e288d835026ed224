/*
 * scap_strace.c - a scap call's arguments in strace's order, with strace's
 * (the man page's) names, so that the semantic record of a call read from a
 * capture is the one its strace trace gives (issue 16).
 *
 * sysdig's drivers give a call's parameters in their own order and names:
 * access is (mode, name) where strace prints access(pathname, mode); read's
 * buffer is "data" and its count "size", after the fd; pipe's two fds are two
 * parameters where strace prints one array.  Each entry below lists a call's
 * arguments as strace prints them, each as NAME or NAME=SCAP, SCAP being the
 * capture's parameter name; SCAP may be A|B (the first present is taken, the
 * others are the same value again and dropped) or A+B (an array of both, as
 * pipe's [fd1, fd2]); -NAME is an argument of strace's the capture never has
 * (tests/scap_names.py reads the positions).  Arguments the capture lacks
 * are absent (a name says which one each value is); parameters strace does
 * not print (mmap's vm_size, open's dev and ino, a socket tuple) follow,
 * under the capture's names.
 * Events are listed by the names scap_events.c gives them; the table covers
 * the calls of the corpus and of common programs, and an event it does not
 * list keeps the capture's order and names.
 */
#include <string.h>

#include "scap_internal.h"

struct order {
	const char *event;  /* scap_events.c's name */
	const char *strace; /* strace's name of the call, NULL: the same */
	const char *args;   /* NAME[=SCAP[|SCAP...|+SCAP]] or -NAME, ... */
};

static const struct order orders[] = {
	{ "accept", NULL, "-sockfd -addr -addrlen" },
	{ "accept4", NULL, "-sockfd -addr -addrlen flags" },
	{ "access", NULL, "pathname=name mode" },
	{ "bind", NULL, "sockfd=fd addr -addrlen" },
	{ "brk", NULL, "addr" },
	{ "chdir", NULL, "path" },
	{ "chmod", NULL, "pathname=filename mode" },
	{ "chown", NULL, "pathname=path owner=uid group=gid" },
	{ "clone", NULL, "-child_stack flags -parent_tid -child_tid -tls" },
	{ "close", NULL, "fd" },
	{ "connect", NULL, "sockfd=fd addr -addrlen" },
	{ "dup", NULL, "oldfd=fd|oldfd" },
	{ "dup2", NULL, "oldfd=fd|oldfd newfd" },
	{ "dup3", NULL, "oldfd=fd|oldfd newfd flags" },
	{ "epoll_create", NULL, "size" },
	{ "eventfd", NULL, "initval flags" },
	{ "execve", NULL, "pathname=filename argv=args envp=env" },
	{ "execveat", NULL, "dirfd pathname argv=args envp=env flags" },
	{ "fchdir", NULL, "fd" },
	{ "fchmod", NULL, "fd mode" },
	{ "fcntl", NULL, "fd cmd arg" },
	{ "fstat", NULL, "fd -statbuf" },
	{ "futex", NULL, "uaddr=addr futex_op=op val" },
	{ "getdents", NULL, "fd -dirp -count" },
	{ "getdents64", NULL, "fd -dirp -count" },
	{ "getsockopt", NULL, "sockfd=fd level optname optval=val optlen" },
	{ "ioctl", NULL, "fd request arg=argument" },
	{ "kill", NULL, "pid sig" },
	{ "listen", NULL, "sockfd=fd backlog" },
	{ "lseek", NULL, "fd offset whence" },
	{ "lstat", NULL, "pathname=path -statbuf" },
	{ "mkdir", NULL, "pathname=path mode" },
	{ "mkdirat", NULL, "dirfd pathname=path mode" },
	{ "mmap", NULL, "addr length prot flags fd offset" },
	{ "mprotect", NULL, "addr len=length prot" },
	{ "munmap", NULL, "addr length" },
	{ "nanosleep", NULL, "req=interval -rem" },
	{ "newfstatat", NULL, "dirfd pathname=path -statbuf flags" },
	{ "open", NULL, "pathname=name flags mode" },
	{ "openat", NULL, "dirfd pathname=name flags mode" },
	{ "openat2", NULL, "dirfd pathname=name -how -size" },
	{ "pipe", NULL, "pipefd=fd1+fd2" },
	{ "pipe2", NULL, "pipefd=fd1+fd2 flags" },
	{ "poll", NULL, "fds -nfds timeout" },
	{ "ppoll", NULL, "fds -nfds tmo_p=timeout sigmask" },
	{ "pread", "pread64", "fd buf=data count=size offset=pos" },
	{ "pwrite", "pwrite64", "fd buf=data count=size offset=pos" },
	{ "read", NULL, "fd buf=data count=size" },
	{ "readv", NULL, "fd -iov -iovcnt" },
	{ "recvfrom", NULL, "sockfd=fd buf=data len=size -flags -src_addr -addrlen" },
	{ "recvmsg", NULL, "sockfd=fd -msg -flags" },
	{ "rename", NULL, "oldpath newpath" },
	{ "renameat", NULL, "olddirfd oldpath newdirfd newpath" },
	{ "sendmsg", NULL, "sockfd=fd -msg -flags" },
	{ "sendto", NULL, "sockfd=fd buf=data len=size -flags -dest_addr -addrlen" },
	{ "setsockopt", NULL, "sockfd=fd level optname optval=val optlen" },
	{ "shutdown", NULL, "sockfd=fd how" },
	{ "signalfd", NULL, "fd mask flags" },
	{ "socket", NULL, "domain type protocol=proto" },
	{ "socketpair", NULL, "domain type protocol=proto sv=fd1+fd2" },
	{ "stat", NULL, "pathname=path -statbuf" },
	{ "symlink", NULL, "target linkpath" },
	{ "unlink", NULL, "pathname=path" },
	{ "unlinkat", NULL, "dirfd pathname=name flags" },
	{ "write", NULL, "fd buf=data count=size" },
	{ "writev", NULL, "fd -iov -iovcnt" },
};

static const struct order *find(const char *event)
{
	size_t lo = 0, hi = sizeof(orders) / sizeof(orders[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(orders[mid].event, event);

		if (c == 0)
			return &orders[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *sr_scap_strace_name(const char *event)
{
	const struct order *o = find(event);

	return o && o->strace ? o->strace : event;
}

/* The index among args[0..n) not yet taken whose name is s[0..len). */
static int named(const struct sr_value *args, const bool *taken, uint32_t n, const char *s,
		 size_t len)
{
	for (uint32_t i = 0; i < n; i++)
		if (!taken[i] && args[i].name.len == len && !memcmp(args[i].name.ptr, s, len))
			return (int)i;
	return -1;
}

bool sr_scap_strace_order(struct sr_arena *a, const char *event, struct sr_value *args,
			  uint32_t *nargs, uint32_t *nfirst)
{
	const struct order *o = find(event);
	uint32_t n = *nargs, k = 0, i, j, m;
	struct sr_value *out;
	uint32_t *from;
	bool *taken;
	const char *p;

	if (!o || !n)
		return true;
	out = sr_arena_alloc(a, 2 * n * sizeof(*out));
	taken = sr_arena_alloc(a, n * sizeof(*taken));
	from = sr_arena_alloc(a, n * sizeof(*from));
	if (!out || !taken || !from)
		return false;
	memset(taken, 0, n * sizeof(*taken));
	for (p = o->args; *p;) {
		const char *w = p, *eq, *src, *end;
		size_t wl;

		while (*p && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		while (*p == ' ')
			p++;
		if (*w == '-')
			continue; /* an argument the capture never has */
		eq = memchr(w, '=', wl);
		end = w + wl;
		src = eq ? eq + 1 : w;
		if (!eq)
			eq = end;
		if (memchr(src, '+', (size_t)(end - src))) {
			/* A+B: an array of the parameters, when all are there */
			const char *q = src;
			uint32_t m = 0, j;
			int idx[8];
			struct sr_value *kids;

			while (q < end && m < 8) {
				const char *e = memchr(q, '+', (size_t)(end - q));

				if (!e)
					e = end;
				idx[m] = named(args, taken, n, q, (size_t)(e - q));
				if (idx[m] < 0)
					break;
				taken[idx[m++]] = true;
				q = e < end ? e + 1 : end;
			}
			if (q < end || m == 0) {
				for (j = 0; j < m; j++)
					taken[idx[j]] = false;
				continue;
			}
			kids = sr_arena_alloc(a, m * sizeof(*kids));
			if (!kids)
				return false;
			for (j = 0; j < m; j++) {
				kids[j] = args[idx[j]];
				kids[j].name = (struct sr_str){ 0 };
			}
			out[k] = (struct sr_value){ .kind = SR_V_ARRAY, .nkids = m, .kids = kids };
			out[k].name = (struct sr_str){ w, (size_t)(eq - w) };
			from[k++] = (uint32_t)idx[0];
			continue;
		} else {
			/* A|B|...: the first present; the others repeat it */
			const char *q = src;
			int got = -1;

			while (q < end) {
				const char *e = memchr(q, '|', (size_t)(end - q));
				int j;

				if (!e)
					e = end;
				j = named(args, taken, n, q, (size_t)(e - q));
				if (j >= 0) {
					taken[j] = true;
					if (got < 0)
						got = j;
				}
				q = e < end ? e + 1 : end;
			}
			if (got < 0)
				continue;
			out[k] = args[got];
			out[k].name = (struct sr_str){ w, (size_t)(eq - w) };
			from[k++] = (uint32_t)got;
		}
	}
	for (i = 0; i < n; i++)
		if (!taken[i]) {
			from[k] = i;
			out[k++] = args[i];
		}
	if (nfirst && *nfirst < n) {
		/* the values from args[0..*nfirst) first, each part in order */
		uint32_t first = *nfirst;

		for (m = 0, i = 0; i < 2; i++) {
			for (j = 0; j < k; j++)
				if ((from[j] < first) == (i == 0))
					out[n + m++] = out[j];
			if (i == 0)
				*nfirst = m;
		}
		memcpy(args, out + n, k * sizeof(*out));
	} else {
		memcpy(args, out, k * sizeof(*out));
	}
	*nargs = k;
	return true;
}
