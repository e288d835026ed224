/*
 * record.c - a program traced live by the system's strace (sysrep record).
 *
 * strace writes its trace into a pipe whose other end is the recording's
 * source.  The pipe must not reach the traced program: a program holding
 * its write end would keep the trace open after strace ended (a daemon it
 * started would hold it forever) and could write into it.  So strace does
 * not inherit it either: our end is close-on-exec, and strace opens it by
 * name, /proc/<our pid>/fd/<N>, getting an fd of its own that it marks
 * close-on-exec before it starts the program.  strace line-buffers its
 * output (it flushes at the end of each line), so the trace arrives as it
 * is made.
 *
 * Because we hold the write end until strace has ended, the read never sees
 * the end by itself: the source is live (sr_source_set_idle), and while it
 * waits we look whether strace has exited; once it has, we close our write
 * end, the read drains what is left and then sees the end.
 *
 * Nothing here prints or exits; the caller forwards signals it receives to
 * strace (sr_record_pid) and reports errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysrep.h"

/* How often a waiting read looks whether strace has exited. */
#define POLL_MS 100

struct sr_recording {
	pid_t pid;   /* strace; 0 once reaped */
	int wfd;     /* our write end of the trace pipe; -1 closed */
	int wstatus; /* strace's wait status, once reaped */
	bool reaped;
	struct sr_source *src; /* owned: the read end */
	char strace[4096];     /* the strace that runs */
};

/*
 * The richest lossless trace strace 5.x/6.x prints without being told
 * what to look for: every task (-f), the syscall number (-n: right also for
 * a 32-bit program, where sysrep's table would guess), the wall-clock time
 * since the epoch and each call's duration, both in nanoseconds, every
 * fd's path, socket endpoints and devices (-yy), each task's command name
 * (-Y), and the first 256 bytes of data buffers (-s: strace's default of 32
 * cuts most messages; larger costs copying on I/O-heavy programs).
 * Not -v: it would put every execve's whole environment, secrets
 * included, into the trace (pass it through when wanted).
 */
static const char *const default_flags[] = {
	"-f",
	"-n",
	"--absolute-timestamps=format:unix,precision:ns",
	"--syscall-times=ns",
	"-yy",
	"-Y",
	"-s",
	"256",
	NULL,
};

const char *const *sr_record_default_flags(void)
{
	return default_flags;
}

/* Whether a pass-through option would take strace's output away from us,
 * or the tracer away from its child. */
static const char *forbidden(const char *a)
{
	if (!strncmp(a, "-o", 2) || !strncmp(a, "--output", 8))
		return "the trace goes to sysrep (use sysrep's own -o)";
	if (!strcmp(a, "-ff"))
		return "per-process files would bypass sysrep";
	if (!strncmp(a, "-D", 2) || !strncmp(a, "--daemonize", 11))
		return "a daemonized tracer is not sysrep's child";
	if (!strcmp(a, "-p") || !strncmp(a, "--attach", 8))
		return "use sysrep record -p PID";
	return NULL;
}

/* The path of the strace to run: name itself when it holds a '/', else the
 * first executable of that name in PATH. */
static bool find_strace(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(name, '/')) {
		snprintf(out, n, "%s", name);
		return access(out, X_OK) == 0;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	for (p = path;; p = e + 1) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		/* an empty entry is the current directory, as for execvp */
		if (snprintf(out, n, "%.*s%s%s", (int)(e - p), p, e > p ? "/" : "", name) <
			    (int)n &&
		    access(out, X_OK) == 0)
			return true;
		if (!*e)
			return false;
	}
}

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int yama_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Whether this process has CAP_SYS_PTRACE (19) in its effective set. */
static bool has_cap_ptrace(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	bool yes = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			yes = caps >> 19 & 1;
			break;
		}
	}
	fclose(f);
	return yes;
}

/* The pid of the process tracing this one (a debugger, strace), or 0. */
static long tracer_pid(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long pid = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %ld", &pid) == 1)
			break;
	fclose(f);
	return pid;
}

/* What to do about a ptrace that was denied, from what the system says. */
static void explain(char *buf, size_t n, int scope, bool cap, bool attach)
{
	long tracer = tracer_pid();

	if (tracer > 0)
		snprintf(buf, n,
			 "sysrep itself is being traced (by pid %ld), and its children "
			 "with it: a process has one tracer; run sysrep outside strace "
			 "or the debugger",
			 tracer);
	else if (scope >= 3)
		snprintf(buf, n,
			 "kernel.yama.ptrace_scope is 3: no process may trace another until "
			 "the next reboot; boot without it, or trace on another machine");
	else if (scope == 2 && !cap)
		snprintf(buf, n,
			 "kernel.yama.ptrace_scope is 2: only root (CAP_SYS_PTRACE) may trace; "
			 "run as root, or lower it: sysctl kernel.yama.ptrace_scope=1");
	else if (scope == 1 && attach && !cap)
		snprintf(buf, n,
			 "kernel.yama.ptrace_scope is 1: attaching to a process that is not "
			 "your child needs CAP_SYS_PTRACE; run as root (sudo), or lower it: "
			 "sysctl kernel.yama.ptrace_scope=0");
	else if (!cap)
		snprintf(buf, n,
			 "in a container, ptrace needs the SYS_PTRACE capability: start it "
			 "with --cap-add=SYS_PTRACE (docker, podman; and --security-opt "
			 "seccomp=unconfined where the seccomp profile still forbids "
			 "ptrace), or run as a user allowed to trace");
	else
		snprintf(buf, n,
			 "a seccomp profile or security module (a container's, AppArmor, "
			 "SELinux) forbids ptrace; allow it (docker: --security-opt "
			 "seccomp=unconfined) or record outside");
}

/* Tries PTRACE_TRACEME in a child, as strace's child does: 0 when allowed,
 * else the errno. */
static int probe_traceme(void)
{
	int status, e;
	pid_t pid = fork();

	if (pid < 0)
		return 0; /* cannot tell: let strace try */
	if (pid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 ? (errno & 0x7f) : 0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	e = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	return e;
}

/* The check for a recording that may not work: SR_OK, or an error that
 * says what to do. */
static enum sr_status check_ptrace(const struct sr_record_opts *o, struct sr_error *err)
{
	char why[400];
	int scope = yama_scope(), e;
	bool cap = has_cap_ptrace();

	if (o->npids) {
		for (size_t i = 0; i < o->npids; i++) {
			long pid = strtol(o->pids[i], NULL, 10);

			if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				return sr_error_set(err, SR_ERR_USAGE,
						    "cannot record: no process %ld", pid);
		}
		if (scope >= 3 || (scope >= 1 && !cap)) {
			explain(why, sizeof(why), scope, cap, true);
			return sr_error_set(err, SR_ERR_UNSUPPORTED,
					    "cannot record: ptrace is not permitted: %s", why);
		}
	}
	e = probe_traceme();
	if (e) {
		explain(why, sizeof(why), scope, cap, o->npids > 0);
		return sr_error_set(
			err, SR_ERR_UNSUPPORTED,
			"cannot record: ptrace is not permitted (PTRACE_TRACEME: %s): %s",
			strerror(e), why);
	}
	return SR_OK;
}

/* The source's idle hook: once strace has exited, drop our write end so the
 * read sees the end after the last bytes. */
static enum sr_status on_idle(void *ctx, struct sr_error *err)
{
	struct sr_recording *r = ctx;
	pid_t w;

	(void)err;
	if (r->reaped)
		return SR_OK;
	w = waitpid(r->pid, &r->wstatus, WNOHANG);
	if (w == r->pid || (w < 0 && errno == ECHILD)) {
		r->reaped = true;
		if (r->wfd >= 0) {
			close(r->wfd);
			r->wfd = -1;
		}
	}
	return SR_OK;
}

enum sr_status sr_record_start(struct sr_recording **rp, const struct sr_record_opts *o,
			       struct sr_error *err)
{
	struct sr_recording *r;
	const char **argv = NULL;
	char outpath[64], path[sizeof(((struct sr_recording *)0)->strace)];
	int tp[2] = { -1, -1 }, ep[2] = { -1, -1 }, e = 0;
	size_t n = 0, cap;
	enum sr_status st;
	ssize_t k;

	*rp = NULL;
	if ((!o->argv || !o->argv[0]) && !o->npids)
		return sr_error_set(err, SR_ERR_USAGE, "cannot record: no command and no -p PID");
	for (size_t i = 0; i < o->nextra; i++) {
		const char *why = forbidden(o->extra[i]);

		if (why)
			return sr_error_set(err, SR_ERR_USAGE, "cannot pass '%s' to strace: %s",
					    o->extra[i], why);
	}
	/* the checks fork: nothing allocated yet for the child to carry */
	if (!find_strace(o->strace ? o->strace : "strace", path, sizeof(path)))
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot record: %s not found: install strace (Debian, Ubuntu: "
				    "apt-get install strace; Fedora: dnf install strace), or name "
				    "it with --strace PATH",
				    o->strace ? o->strace : "strace");
	st = check_ptrace(o, err);
	if (st < 0)
		return st;
	r = calloc(1, sizeof(*r));
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot record: out of memory");
	r->wfd = -1;
	memcpy(r->strace, path, sizeof(path));

	cap = sizeof(default_flags) / sizeof(default_flags[0]) + o->nextra + 2 * o->npids + 8;
	for (const char *const *a = o->argv; a && *a; a++)
		cap++;
	argv = calloc(cap, sizeof(*argv));
	if (!argv || pipe2(tp, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		st = sr_error_set(err, argv ? SR_ERR_IO : SR_ERR_NOMEM, "cannot record: %s",
				  argv ? strerror(errno) : "out of memory");
		goto fail;
	}
	snprintf(outpath, sizeof(outpath), "/proc/%d/fd/%d", (int)getpid(), tp[1]);
	argv[n++] = r->strace;
	if (!o->no_defaults)
		for (const char *const *f = default_flags; *f; f++)
			argv[n++] = *f;
	for (size_t i = 0; i < o->nextra; i++)
		argv[n++] = o->extra[i];
	argv[n++] = "-o";
	argv[n++] = outpath;
	for (size_t i = 0; i < o->npids; i++) {
		argv[n++] = "-p";
		argv[n++] = o->pids[i];
	}
	if (o->argv && o->argv[0]) {
		argv[n++] = "--";
		for (const char *const *a = o->argv; *a; a++)
			argv[n++] = *a;
	}
	argv[n] = NULL;

	r->pid = fork();
	if (r->pid < 0) {
		st = sr_error_set(err, SR_ERR_IO, "cannot record: fork: %s", strerror(errno));
		goto fail;
	}
	if (r->pid == 0) {
		/* the child: exec strace, or tell the parent why not */
		execv(argv[0], (char *const *)argv);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(ep[1]);
	ep[1] = -1;
	do
		k = read(ep[0], &e, sizeof(e));
	while (k < 0 && errno == EINTR);
	close(ep[0]);
	ep[0] = -1;
	if (k == sizeof(e)) {
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
		st = sr_error_set(err, SR_ERR_UNSUPPORTED, "cannot record: cannot run %s: %s",
				  r->strace, strerror(e));
		goto fail;
	}
	/* room for bursts: strace blocks on a full pipe, and the program
	 * with it, while we parse; 1 MiB is what an unprivileged process may
	 * ask for (fs.pipe-max-size), and the default 64 KiB stays otherwise */
	fcntl(tp[0], F_SETPIPE_SZ, 1 << 20);
	r->wfd = tp[1];
	tp[1] = -1;
	st = sr_source_open_fd(&r->src, tp[0], "strace", err);
	tp[0] = -1;
	if (st < 0) {
		r->src = NULL;
		goto fail;
	}
	sr_source_set_idle(r->src, POLL_MS, on_idle, r);
	free(argv);
	*rp = r;
	return SR_OK;
fail:
	for (int i = 0; i < 2; i++) {
		if (tp[i] >= 0)
			close(tp[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	free(argv);
	sr_record_free(r);
	return st;
}

struct sr_source *sr_record_source(struct sr_recording *r)
{
	return r->src;
}

int sr_record_pid(const struct sr_recording *r)
{
	return r->reaped ? 0 : (int)r->pid;
}

const char *sr_record_strace(const struct sr_recording *r)
{
	return r->strace;
}

enum sr_status sr_record_finish(struct sr_recording *r, int *status, struct sr_error *err)
{
	char why[400];
	int ws;

	*status = 1;
	if (!r->reaped) {
		/* The reader stopped early (an error, or our output's reader
		 * went away): nobody reads the trace any more.  strace would go
		 * on, printing an EPIPE message per line, and with -o and a
		 * command it blocks SIGTERM (strace -I3), so it is killed; the
		 * kernel then detaches the program, which runs on untraced. */
		sr_source_close(r->src);
		r->src = NULL;
		if (r->wfd >= 0) {
			close(r->wfd);
			r->wfd = -1;
		}
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &r->wstatus, 0) < 0)
			if (errno != EINTR) {
				r->wstatus = 0;
				break;
			}
		r->reaped = true;
	}
	ws = r->wstatus;
	if (WIFSIGNALED(ws))
		*status = 128 + WTERMSIG(ws);
	else if (WIFEXITED(ws))
		*status = WEXITSTATUS(ws);
	/* A traced command always shows at least its execve: a trace without a
	 * byte means strace gave up before tracing (it said why on stderr). */
	if (r->src && sr_source_bytes(r->src) == 0 && *status != 0) {
		int scope = yama_scope(), e = probe_traceme();
		bool cap = has_cap_ptrace();

		if (e || (scope >= 1 && !cap)) {
			explain(why, sizeof(why), scope, cap, true);
			return sr_error_set(
				err, SR_ERR_UNSUPPORTED,
				"cannot record: strace traced nothing (exit status %d): %s",
				*status, why);
		}
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot record: strace traced nothing (exit status %d; its "
				    "message is above)",
				    *status);
	}
	return SR_OK;
}

void sr_record_free(struct sr_recording *r)
{
	if (!r)
		return;
	if (r->pid > 0 && !r->reaped) {
		int ignored;

		kill(r->pid, SIGKILL);
		if (r->wfd >= 0)
			close(r->wfd);
		r->wfd = -1;
		sr_source_close(r->src);
		r->src = NULL;
		waitpid(r->pid, &ignored, 0);
	}
	if (r->wfd >= 0)
		close(r->wfd);
	sr_source_close(r->src);
	free(r);
}
