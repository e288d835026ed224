/*
 * sink.c - buffered output to a file or stdout.
 *
 * Writers reserve the worst case for an event, write without checks and
 * commit what they used, so the sink must hand out memory even after an
 * error: errors are kept (the first one wins) and later writes go to a
 * scratch area until the caller looks at the status at flush or close.
 *
 * A regular output file is written under a temporary name in the same
 * directory and renamed into place by a successful close, so that a
 * failed run never leaves a complete-looking file behind (and does not
 * destroy the previous one).  Outputs that are not regular files
 * (/dev/null, a FIFO, a terminal) and symbolic links are written in place:
 * renaming over those would replace the device node or the link.
 *
 * With sr_sink_set_zstd the bytes leave through ZSTD_compressStream2
 * instead: the writer fills the same buffer and never knows.  Memory stays
 * constant (the buffer, zstd's window and one output buffer), whatever the
 * size of the output.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "sysrep.h"

#define SINK_BUF_SIZE (256 * 1024)

struct sr_sink {
	int fd;
	bool own_fd; /* false for stdout */
	char *name;  /* owned: the path as given, "-" for stdout */
	char *tmp;   /* owned: the temporary path, NULL when writing in place */
	char *buf;   /* owned */
	size_t len, cap;
	size_t reserved; /* size of the last reservation, for commit's check */
	char *scratch;	 /* owned: handed out by reserve after an error */
	size_t scratch_cap;
	uint64_t bytes;
	ZSTD_CCtx *zc;	 /* owned: compressing when not NULL */
	char *zbuf;	 /* owned: compressed bytes on their way to fd */
	size_t zcap;
	bool zstarted;	 /* bytes went into the frame: too late for new parameters */
	sr_sink_fn fn;	 /* not NULL: bytes leave through fn, not fd (sr_sink_open_fn) */
	void *fn_ctx;	 /* borrowed */
	enum sr_status status; /* sticky: the first error */
	struct sr_error saved; /* its details */
};

static enum sr_status finish(struct sr_sink *s, bool keep, struct sr_error *err);

/* Keeps the first error only: later ones are usually its consequences. */
static void fail(struct sr_sink *s, enum sr_status code, const char *what, int errnum)
{
	if (s->status)
		return;
	s->status = code;
	sr_error_set(&s->saved, code, "%s: %s", what, strerror(errnum));
	sr_error_file(&s->saved, s->name);
}

/* Makes "<dir>/.<base>.XXXXXX" next to path and opens it exclusively. */
static int open_tmp(struct sr_sink *s, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	const char *base = path + dirlen;
	size_t n = strlen(path) + 16;
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL) ^ (unsigned)(uintptr_t)s;
	int fd = -1, tries;

	s->tmp = malloc(n);
	if (!s->tmp) {
		errno = ENOMEM;
		return -1;
	}
	/* O_EXCL with a fresh name, as mkstemp does, but with a mode that
	 * honours the umask like any other new file */
	for (tries = 0; tries < 100; tries++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(s->tmp, n, "%.*s.%s.%06x", dirlen, path, base, (seed >> 8) & 0xffffff);
		fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(s->tmp);
		s->tmp = NULL;
	}
	return fd;
}

enum sr_status sr_sink_open(struct sr_sink **sp, const char *path, struct sr_error *err)
{
	struct sr_sink *s;
	struct stat st, lst;
	bool exists;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open output: out of memory");
	s->fd = -1;
	s->cap = SINK_BUF_SIZE;
	s->name = strdup(path);
	s->buf = malloc(s->cap);
	if (!s->name || !s->buf) {
		finish(s, false, NULL);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open output: out of memory");
	}

	if (strcmp(path, "-") == 0) {
		s->fd = STDOUT_FILENO;
		*sp = s;
		return SR_OK;
	}

	exists = stat(path, &st) == 0;
	if (exists && (!S_ISREG(st.st_mode) || (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)))) {
		s->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	} else {
		/* Replacing a file keeps its permission bits. */
		s->fd = open_tmp(s, path, exists ? st.st_mode & 07777 : 0666);
		if (s->fd >= 0 && exists)
			fchmod(s->fd, st.st_mode & 07777);
	}
	if (s->fd < 0) {
		int e = errno;

		sr_error_set(err, SR_ERR_IO, "cannot open output: %s", strerror(e));
		sr_error_file(err, path);
		finish(s, false, NULL);
		return SR_ERR_IO;
	}
	s->own_fd = true;
	*sp = s;
	return SR_OK;
}

/* write(2) all of p, or record why not. */
static void put(struct sr_sink *s, const char *p, size_t n)
{
	if (s->fn) {
		int e;

		if (n && !s->status && (e = s->fn(s->fn_ctx, p, n)) != 0)
			fail(s, SR_ERR_IO, "cannot write output", e);
		return;
	}
	while (n > 0 && !s->status) {
		ssize_t r = write(s->fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fail(s, SR_ERR_IO, "cannot write output", errno);
			return;
		}
		p += r;
		n -= (size_t)r;
	}
}

/* Compresses p[0..n) into the frame; mode flush: everything so far
 * reaches the descriptor; end: the frame is closed too. */
static void zput(struct sr_sink *s, const char *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;

	s->zstarted = true;
	do {
		ZSTD_outBuffer out = { s->zbuf, s->zcap, 0 };

		left = ZSTD_compressStream2(s->zc, &out, &in, mode);
		if (ZSTD_isError(left)) {
			if (!s->status) {
				s->status = SR_ERR_IO;
				sr_error_set(&s->saved, SR_ERR_IO, "cannot compress output: %s",
					     ZSTD_getErrorName(left));
				sr_error_file(&s->saved, s->name);
			}
			return;
		}
		put(s, s->zbuf, out.pos);
		if (s->status)
			return;
		/* continue: done once the input is consumed; flush and
		 * end: once zstd says nothing is left inside */
	} while (mode != ZSTD_e_continue ? left != 0 : in.pos < in.size);
}

/* Sends bytes on their way: the one place where they leave the sink. */
static void emit(struct sr_sink *s, const char *p, size_t n)
{
	if (s->zc)
		zput(s, p, n, ZSTD_e_continue);
	else
		put(s, p, n);
}

static void drain(struct sr_sink *s)
{
	if (s->len)
		emit(s, s->buf, s->len);
	s->len = 0;
}

enum sr_status sr_sink_open_fn(struct sr_sink **sp, const char *name, sr_sink_fn fn,
			       void *ctx, struct sr_error *err)
{
	struct sr_sink *s;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open output: out of memory");
	s->fd = -1;
	s->fn = fn;
	s->fn_ctx = ctx;
	s->cap = SINK_BUF_SIZE;
	s->name = strdup(name ? name : "");
	s->buf = malloc(s->cap);
	if (!s->name || !s->buf) {
		finish(s, false, NULL);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open output: out of memory");
	}
	*sp = s;
	return SR_OK;
}

enum sr_status sr_sink_set_zstd(struct sr_sink *s, int level, int threads,
				struct sr_error *err)
{
	size_t r;

	if (s->zstarted || s->bytes)
		return sr_error_set(err, SR_ERR_USAGE,
				    "cannot compress output: bytes were already written");
	if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
		return sr_error_set(err, SR_ERR_USAGE,
				    "zstd level %d out of range (%d..%d)", level,
				    ZSTD_minCLevel(), ZSTD_maxCLevel());
	if (threads < 0)
		return sr_error_set(err, SR_ERR_USAGE, "negative thread count %d", threads);
	if (!s->zc) {
		s->zcap = ZSTD_CStreamOutSize();
		s->zbuf = malloc(s->zcap);
		s->zc = ZSTD_createCCtx();
		if (!s->zc || !s->zbuf) {
			ZSTD_freeCCtx(s->zc);
			free(s->zbuf);
			s->zc = NULL;
			s->zbuf = NULL;
			return sr_error_set(err, SR_ERR_NOMEM,
					    "cannot compress output: out of memory");
		}
	}
	r = ZSTD_CCtx_setParameter(s->zc, ZSTD_c_compressionLevel, level);
	if (!ZSTD_isError(r))
		r = ZSTD_CCtx_setParameter(s->zc, ZSTD_c_checksumFlag, 1);
	/* nbWorkers fails when libzstd was built without threads: one
	 * thread then, which makes the same bytes */
	if (!ZSTD_isError(r) && threads > 1 &&
	    ZSTD_isError(ZSTD_CCtx_setParameter(s->zc, ZSTD_c_nbWorkers, threads)))
		r = 0;
	if (ZSTD_isError(r))
		return sr_error_set(err, SR_ERR_USAGE, "cannot compress output: %s",
				    ZSTD_getErrorName(r));
	return SR_OK;
}

char *sr_sink_reserve(struct sr_sink *s, size_t n)
{
	if (!s->status && s->cap - s->len < n) {
		drain(s);
		if (!s->status && n > s->cap) {
			char *b = realloc(s->buf, n);

			if (b) {
				s->buf = b;
				s->cap = n;
			} else {
				fail(s, SR_ERR_NOMEM, "cannot write output", ENOMEM);
			}
		}
	}
	if (!s->status) {
		s->reserved = n;
		return s->buf + s->len;
	}

	/* Failed: the caller still writes, into memory nobody reads. */
	if (n > s->scratch_cap) {
		char *b = realloc(s->scratch, n);

		/* Out of memory for an out-of-memory sink: nothing is left to
		 * give; the header promises non-NULL, so this is fatal. */
		assert(b);
		if (!b)
			abort();
		s->scratch = b;
		s->scratch_cap = n;
	}
	s->reserved = n;
	return s->scratch;
}

void sr_sink_commit(struct sr_sink *s, size_t n)
{
	assert(n <= s->reserved);
	s->reserved = 0;
	if (s->status)
		return;
	s->len += n;
	s->bytes += n;
}

void sr_sink_write(struct sr_sink *s, const void *p, size_t n)
{
	/* n == 0 may come with p NULL (an empty string view), and
	 * memcpy(dst, NULL, 0) is undefined behaviour (UBSan) */
	if (s->status || n == 0)
		return;
	/* Big blocks skip the copy into the buffer. */
	if (n >= s->cap) {
		drain(s);
		emit(s, p, n);
		if (!s->status)
			s->bytes += n;
		return;
	}
	if (s->cap - s->len < n)
		drain(s);
	if (s->status)
		return;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->bytes += n;
}

enum sr_status sr_sink_flush(struct sr_sink *s, struct sr_error *err)
{
	drain(s);
	if (s->zc && !s->status)
		zput(s, "", 0, ZSTD_e_flush);
	if (s->status && err)
		*err = s->saved;
	return s->status;
}

uint64_t sr_sink_bytes(const struct sr_sink *s)
{
	return s->bytes;
}

const char *sr_sink_name(const struct sr_sink *s)
{
	return s->name;
}

/*
 * Closes the descriptor, settles the temporary file and frees the sink.
 * keep: the output is complete and may replace the target.
 */
static enum sr_status finish(struct sr_sink *s, bool keep, struct sr_error *err)
{
	enum sr_status st;

	if (s->own_fd && s->fd >= 0 && close(s->fd) < 0 && keep)
		/* NFS and quotas may report write errors only at close */
		fail(s, SR_ERR_IO, "cannot write output", errno);
	if (s->tmp) {
		if (keep && !s->status && rename(s->tmp, s->name) < 0)
			fail(s, SR_ERR_IO, "cannot rename output into place", errno);
		if (!keep || s->status)
			unlink(s->tmp);
	}
	st = s->status;
	if (st && err)
		*err = s->saved;
	ZSTD_freeCCtx(s->zc);
	free(s->zbuf);
	free(s->tmp);
	free(s->scratch);
	free(s->buf);
	free(s->name);
	free(s);
	return st;
}

enum sr_status sr_sink_close(struct sr_sink *s, struct sr_error *err)
{
	if (!s)
		return SR_OK;
	if (s->fd >= 0 || s->fn) {
		drain(s);
		/* the frame's end: without it zstd -d says "truncated" */
		if (s->zc && !s->status)
			zput(s, "", 0, ZSTD_e_end);
	}
	return finish(s, true, err);
}

void sr_sink_abort(struct sr_sink *s)
{
	if (!s)
		return;
	/*
	 * A temporary file is dropped with what is buffered.  Output written
	 * in place (stdout, a pipe) is already partly visible, so it gets the
	 * rest of what was converted before the failure.
	 */
	if ((s->fd >= 0 || s->fn) && !s->tmp) {
		drain(s);
		/* a whole frame, like the plain text it stands for */
		if (s->zc && !s->status)
			zput(s, "", 0, ZSTD_e_end);
	}
	finish(s, false, NULL);
}
