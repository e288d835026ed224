/*
 * source.c - an input file or stdin, decompressed on the fly.
 *
 * The codec is chosen by the magic at the start of the raw input, looked
 * at lazily on the first read or peek, so that opening stdin does not
 * block.  Concatenated zstd frames and gzip members decode as one stream.
 * Plain input is read(2) straight into the caller's buffer; compressed
 * input is decompressed straight into it.  Only peeked bytes take a
 * detour through an extra buffer.
 *
 * Errors are sticky: once reading or decoding failed, every later call
 * reports the same error, so a reader that peeked and ignored the error
 * still sees it on its first read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#ifdef SR_FUZZING
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_forceIgnoreChecksum */
#endif
#include <zstd.h>

#include "sysrep.h"

#define IN_BUF_SIZE (128 * 1024)

enum codec { CODEC_UNKNOWN, CODEC_PLAIN, CODEC_ZSTD, CODEC_GZIP };

struct sr_source {
	int fd;
	bool own_fd; /* false for stdin */
	char *name;  /* owned */
	enum codec codec;

	/* Raw (compressed) input: in[in_pos..in_len) not yet consumed. */
	unsigned char *in; /* owned */
	size_t in_len, in_pos;
	uint64_t in_base; /* raw bytes read before in[0]: for error offsets */
	bool in_eof;

	/* Decoded bytes that a peek produced and no read has consumed yet. */
	unsigned char *pk; /* owned */
	size_t pk_len, pk_pos, pk_cap;

	ZSTD_DStream *zd; /* owned */
	size_t zret;	  /* last ZSTD_decompressStream result; 0: at a frame end */
	z_stream zs;
	bool zs_live;	  /* zs needs inflateEnd */
	bool member_done; /* gzip: the last member ended; the next may follow */

	/* The line limit (0: none): col bytes of the current line passed so
	 * far; dropping: the rest of a cut line is being skipped. */
	uint64_t max_line, col;
	bool dropping;
	uint64_t cut_lines, cut_bytes;
	/* Dropping reads into skip, not into the caller's room, which is
	 * then one byte (the reader's buffer holds the kept head): one read
	 * a byte made a 20 MB line past --max-line take minutes.  What the
	 * limit keeps of it (the newline on) waits in skip[held..nskip). */
	char *skip; /* owned: SKIP_SIZE, allocated on the first cut */
	size_t held, nskip;
	/* A live input (sr_source_set_idle): while a read waits, idle() runs
	 * every idle_ms. */
	enum sr_status (*idle)(void *ctx, struct sr_error *err);
	void *idle_ctx; /* borrowed */
	/* sr_source_open_fn: the bytes come from fn(fn_ctx, ...), not fd */
	sr_source_fn fn;
	void *fn_ctx; /* borrowed */
	int idle_ms;
	struct timespec last_read; /* live: when the last read returned */

	uint64_t bytes;	       /* decoded bytes consumed by reads */
	enum sr_status status; /* sticky: first error */
	struct sr_error saved; /* its details */
};

static enum sr_status read_some(struct sr_source *s, void *buf, size_t n, size_t *got,
				struct sr_error *err);

/* Records a sticky error and copies it to err. */
static enum sr_status fail(struct sr_source *s, struct sr_error *err, enum sr_status code,
			   const char *what, const char *detail)
{
	sr_error_set(&s->saved, code, "%s: %s", what, detail);
	sr_error_file(&s->saved, s->name);
	s->status = code;
	if (err)
		*err = s->saved;
	return code;
}

static enum sr_status failed(struct sr_source *s, struct sr_error *err)
{
	if (err)
		*err = s->saved;
	return s->status;
}

enum sr_status sr_source_open(struct sr_source **sp, const char *path, struct sr_error *err)
{
	struct sr_source *s;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	s->fd = -1;
	s->name = strdup(path);
	s->in = malloc(IN_BUF_SIZE);
	if (!s->name || !s->in) {
		sr_source_close(s);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	}
	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			sr_error_set(err, SR_ERR_IO, "cannot open input: %s", strerror(errno));
			sr_error_file(err, path);
			sr_source_close(s);
			return SR_ERR_IO;
		}
		s->own_fd = true;
		/* The kernel reads ahead further for a sequential reader. */
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	*sp = s;
	return SR_OK;
}

enum sr_status sr_source_open_fd(struct sr_source **sp, int fd, const char *name,
				 struct sr_error *err)
{
	struct sr_source *s;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	}
	s->fd = fd;
	s->own_fd = true;
	s->name = strdup(name);
	s->in = malloc(IN_BUF_SIZE);
	if (!s->name || !s->in) {
		sr_source_close(s);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	}
	*sp = s;
	return SR_OK;
}

enum sr_status sr_source_open_fn(struct sr_source **sp, const char *name, sr_source_fn fn,
				 void *ctx, struct sr_error *err)
{
	struct sr_source *s;

	*sp = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	s->fd = -1;
	s->fn = fn;
	s->fn_ctx = ctx;
	/* the caller's bytes are what it means: never decompressed, and no
	 * detour through in[] to look for a magic */
	s->codec = CODEC_PLAIN;
	s->name = strdup(name ? name : "");
	if (!s->name) {
		sr_source_close(s);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open input: out of memory");
	}
	*sp = s;
	return SR_OK;
}

void sr_source_set_idle(struct sr_source *s, int ms,
			enum sr_status (*idle)(void *ctx, struct sr_error *err), void *ctx)
{
	s->idle = idle;
	s->idle_ctx = ctx;
	s->idle_ms = ms > 0 ? ms : 100;
}

/* Whether fd has input (or its end, or an error) within ms; -1 waits. */
static bool fd_ready(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&pfd, 1, ms);
	while (r < 0 && errno == EINTR);
	/* a poll that fails says nothing: let the read find out */
	return r != 0;
}

/*
 * A live writer such as strace writes a line at a time: read as it comes,
 * every read would carry a line or two, and the batch, the writer and the
 * flush behind it would run per line, on the cores the traced program and
 * strace need.  So a live source reads at most every PACE_NS: what came in
 * meanwhile waits in the pipe and arrives as one piece, 10 ms late at most.
 */
#define PACE_NS 10000000L

static void pace(struct sr_source *s)
{
	struct timespec now, wait;
	long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (now.tv_sec - s->last_read.tv_sec) * 1000000000L + now.tv_nsec -
	     s->last_read.tv_nsec;
	if (ns >= 0 && ns < PACE_NS) {
		wait.tv_sec = 0;
		wait.tv_nsec = PACE_NS - ns;
		while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
			;
	}
}

/* read(2) into p; *got = 0 at the end of the file.  A live source runs its
 * idle hook while no input comes. */
static enum sr_status raw_read(struct sr_source *s, void *p, size_t n, size_t *got,
			       struct sr_error *err)
{
	ssize_t r;

	if (s->fn) {
		enum sr_status st = s->fn(s->fn_ctx, p, n, got, err);

		if (st < 0) {
			/* sticky, with the caller's message */
			s->status = st;
			if (err)
				s->saved = *err;
			else
				sr_error_set(&s->saved, st, "cannot read input");
		}
		return st < 0 ? st : SR_OK;
	}
	if (s->idle)
		pace(s);
	while (s->idle && !fd_ready(s->fd, s->idle_ms)) {
		enum sr_status st = s->idle(s->idle_ctx, err);

		if (st < 0) {
			s->status = st;
			if (err)
				s->saved = *err;
			return st;
		}
	}
	do
		r = read(s->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail(s, err, SR_ERR_IO, "cannot read input", strerror(errno));
	if (s->idle)
		clock_gettime(CLOCK_MONOTONIC, &s->last_read);
	*got = (size_t)r;
	return SR_OK;
}

/* Refills in[] once it is used up; sets in_eof at the end of the file. */
static enum sr_status refill(struct sr_source *s, struct sr_error *err)
{
	enum sr_status st;
	size_t got;

	if (s->in_pos < s->in_len || s->in_eof)
		return SR_OK;
	s->in_base += s->in_len;
	s->in_len = s->in_pos = 0;
	st = raw_read(s, s->in, IN_BUF_SIZE, &got, err);
	if (st)
		return st;
	s->in_len = got;
	s->in_eof = got == 0;
	return SR_OK;
}

static enum sr_status decode_fail(struct sr_source *s, struct sr_error *err, enum sr_status code,
				  const char *codec, const char *why)
{
	char detail[160];

	snprintf(detail, sizeof(detail), "%s: %s at compressed byte %llu", codec, why,
		 (unsigned long long)(s->in_base + s->in_pos));
	return fail(s, err, code, "cannot decompress input", detail);
}

static enum sr_status detect(struct sr_source *s, struct sr_error *err)
{
	static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const unsigned char gzip_magic[2] = { 0x1f, 0x8b };
	enum sr_status st;
	size_t got;

	/* A pipe may deliver the magic in pieces. */
	while (s->in_len < sizeof(zstd_magic) && !s->in_eof) {
		st = raw_read(s, s->in + s->in_len, IN_BUF_SIZE - s->in_len, &got, err);
		if (st)
			return st;
		s->in_len += got;
		s->in_eof = got == 0;
	}
	/* a skippable frame (magic 0x184D2A5?) may come first, as zstd -d
	 * allows: the stream is zstd from its first byte */
	if (s->in_len >= 4 && (memcmp(s->in, zstd_magic, 4) == 0 ||
			       ((s->in[0] & 0xf0) == 0x50 && s->in[1] == 0x2a &&
				s->in[2] == 0x4d && s->in[3] == 0x18))) {
		s->zd = ZSTD_createDStream();
#ifdef SR_FUZZING
		/* the fuzzing build: a mutated frame is read to its end */
		if (s->zd)
			ZSTD_DCtx_setParameter(s->zd, ZSTD_d_forceIgnoreChecksum,
					       ZSTD_d_ignoreChecksum);
#endif
		if (!s->zd || ZSTD_isError(ZSTD_initDStream(s->zd)))
			return fail(s, err, SR_ERR_NOMEM, "cannot decompress input",
				    "out of memory");
		s->zret = 1;
		s->codec = CODEC_ZSTD;
	} else if (s->in_len >= 2 && memcmp(s->in, gzip_magic, 2) == 0) {
		/* 16 + MAX_WBITS: gzip header and trailer, not zlib's */
		if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK)
			return fail(s, err, SR_ERR_NOMEM, "cannot decompress input",
				    "out of memory");
		s->zs_live = true;
		s->codec = CODEC_GZIP;
	} else {
		s->codec = CODEC_PLAIN;
	}
	return SR_OK;
}

static enum sr_status fill_plain(struct sr_source *s, unsigned char *p, size_t n, size_t *got,
				 struct sr_error *err)
{
	enum sr_status st;

	/* The bytes read for detection come first. */
	if (s->in_pos < s->in_len) {
		size_t k = s->in_len - s->in_pos;

		if (k > n)
			k = n;
		memcpy(p, s->in + s->in_pos, k);
		s->in_pos += k;
		*got = k;
		return SR_OK;
	}
	/* Once seen, the end stays the end: a terminal would block again. */
	if (s->in_eof)
		return SR_OK;
	st = raw_read(s, p, n, got, err);
	if (st == SR_OK && *got == 0)
		s->in_eof = true;
	return st;
}

static enum sr_status fill_zstd(struct sr_source *s, unsigned char *p, size_t n, size_t *got,
				struct sr_error *err)
{
	ZSTD_outBuffer out = { p, n, 0 };
	enum sr_status st;

	/*
	 * Loop until some output appears: a frame header or a skippable
	 * frame consumes input and produces nothing.  After a frame ends
	 * (zret 0) the stream starts on the next one by itself, which is how
	 * concatenated frames decode as one stream.
	 */
	for (;;) {
		ZSTD_inBuffer in;
		bool at_end;

		st = refill(s, err);
		if (st)
			return st;
		at_end = s->in_eof && s->in_pos == s->in_len;
		/* zret 0: the last frame ended and all of it was delivered.  A
		 * call with no input would only return a hint for a next frame. */
		if (at_end && s->zret == 0)
			break;
		in = (ZSTD_inBuffer){ s->in, s->in_len, s->in_pos };
		s->zret = ZSTD_decompressStream(s->zd, &out, &in);
		s->in_pos = in.pos;
		if (ZSTD_isError(s->zret))
			return decode_fail(s, err, SR_ERR_PARSE, "zstd",
					   ZSTD_getErrorName(s->zret));
		if (out.pos > 0)
			break;
		if (at_end)
			return decode_fail(s, err, SR_ERR_PARSE, "zstd", "truncated frame");
	}
	*got = out.pos;
	return SR_OK;
}

static enum sr_status fill_gzip(struct sr_source *s, unsigned char *p, size_t n, size_t *got,
				struct sr_error *err)
{
	enum sr_status st;
	int zr;

	/* zlib counts in uInt; a short read is always allowed */
	if (n > UINT_MAX)
		n = UINT_MAX;
	s->zs.next_out = p;
	s->zs.avail_out = (uInt)n;
	for (;;) {
		st = refill(s, err);
		if (st)
			return st;
		if (s->in_pos == s->in_len) {
			if (s->member_done)
				break;
			return decode_fail(s, err, SR_ERR_PARSE, "gzip", "truncated stream");
		}
		/* gzip(1) writes one member per input file; cat joins them */
		if (s->member_done) {
			if (inflateReset(&s->zs) != Z_OK)
				return decode_fail(s, err, SR_ERR_PARSE, "gzip", "cannot reset");
			s->member_done = false;
		}
		s->zs.next_in = s->in + s->in_pos;
		s->zs.avail_in = (uInt)(s->in_len - s->in_pos);
		zr = inflate(&s->zs, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->zs.avail_in;
		if (zr == Z_STREAM_END) {
			s->member_done = true;
		} else if (zr == Z_MEM_ERROR) {
			return fail(s, err, SR_ERR_NOMEM, "cannot decompress input",
				    "out of memory");
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return decode_fail(s, err, SR_ERR_PARSE, "gzip",
					   s->zs.msg ? s->zs.msg : "corrupt data");
		}
		if (s->zs.avail_out < n)
			break;
	}
	*got = n - s->zs.avail_out;
	return SR_OK;
}

/* Decodes up to n bytes into p; *got = 0 only at the end. */
static enum sr_status fill(struct sr_source *s, unsigned char *p, size_t n, size_t *got,
			   struct sr_error *err)
{
	enum sr_status st;

	*got = 0;
	if (s->status)
		return failed(s, err);
	if (s->codec == CODEC_UNKNOWN) {
		st = detect(s, err);
		if (st)
			return st;
	}
	switch (s->codec) {
	case CODEC_ZSTD:
		return fill_zstd(s, p, n, got, err);
	case CODEC_GZIP:
		return fill_gzip(s, p, n, got, err);
	default:
		return fill_plain(s, p, n, got, err);
	}
}

/* Applies the line limit to the n bytes just read into buf, in place;
 * returns the bytes kept. */
static size_t limit_lines(struct sr_source *s, char *buf, size_t n)
{
	size_t i = 0, w = 0;

	while (i < n) {
		size_t span = n - i, room, k;
		char *nl;

		if (s->dropping) {
			nl = memchr(buf + i, '\n', span);
			k = nl ? (size_t)(nl - (buf + i)) : span;
			s->cut_bytes += k;
			i += k;
			if (nl)
				s->dropping = false; /* the newline is kept */
			continue;
		}
		room = (size_t)(s->max_line - 1 - s->col); /* bytes before the cut */
		if (span <= room) {
			/* no line can reach the limit in what is left (every
			 * read with the default limit): all of it is kept, and
			 * its last newline gives the column; no look per line */
			nl = memrchr(buf + i, '\n', span);
			if (w != i)
				memmove(buf + w, buf + i, span);
			s->col = nl ? (size_t)(buf + n - 1 - nl) : s->col + span;
			w += span;
			break;
		}
		nl = memchr(buf + i, '\n', span < room + 1 ? span : room + 1);
		if (nl)
			k = (size_t)(nl - (buf + i)) + 1;
		else
			k = span <= room ? span : room;
		memmove(buf + w, buf + i, k);
		w += k;
		i += k;
		s->col = nl ? 0 : s->col + k;
		if (!nl && s->col == s->max_line - 1 && i < n && buf[i] != '\n') {
			s->dropping = true;
			s->cut_lines++;
			s->col = 0;
		}
	}
	return w;
}

#define SKIP_SIZE (64u << 10)

enum sr_status sr_source_read(struct sr_source *s, void *buf, size_t n, size_t *got,
			      struct sr_error *err)
{
	enum sr_status st;

	if (!s->max_line)
		return read_some(s, buf, n, got, err);
	/* a read that only dropped bytes is not the end: read on */
	for (;;) {
		if (s->held < s->nskip) {
			/* kept bytes a skipping read took: already limited */
			*got = s->nskip - s->held < n ? s->nskip - s->held : n;
			memcpy(buf, s->skip + s->held, *got);
			s->held += *got;
			return SR_OK;
		}
		if (s->dropping && n < SKIP_SIZE) {
			if (!s->skip && !(s->skip = malloc(SKIP_SIZE)))
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read %s: out of memory",
						    s->name);
			st = read_some(s, s->skip, SKIP_SIZE, got, err);
			if (st < 0 || !*got)
				return st;
			s->held = 0;
			s->nskip = limit_lines(s, s->skip, *got);
			continue;
		}
		st = read_some(s, buf, n, got, err);
		if (st < 0 || !*got)
			return st;
		*got = limit_lines(s, buf, *got);
		if (*got)
			return st;
	}
}

const struct sr_optdesc sr_text_opt_keys[] = {
	{ "max_line", "the longest line kept, in bytes (K, M, G suffixes; 0: no limit; "
		      "default 64M)" },
	{ NULL, NULL },
};

enum sr_status sr_source_limit_lines(struct sr_source *s, const struct sr_opts *opts,
				     struct sr_error *err)
{
	const char *v = sr_opts_get(opts, "max_line", NULL);
	uint64_t max = SR_MAX_LINE, mul = 1;
	char *end;

	if (v) {
		errno = 0;
		max = strtoull(v, &end, 10);
		if (*end == 'K' || *end == 'k')
			mul = 1ull << 10;
		else if (*end == 'M' || *end == 'm')
			mul = 1ull << 20;
		else if (*end == 'G' || *end == 'g')
			mul = 1ull << 30;
		if (mul > 1)
			end++;
		if (end == v || *end || errno || *v == '-' || max > UINT64_MAX / mul ||
		    (max && max * mul < 2))
			return sr_error_set(err, SR_ERR_USAGE,
					    "bad max_line '%s': a size in bytes (K, M, G), at least 2, "
					    "or 0 for no limit",
					    v);
		max *= mul;
	}
	s->max_line = max;
	return SR_OK;
}

void sr_source_cut(const struct sr_source *s, uint64_t *lines, uint64_t *bytes)
{
	*lines = s ? s->cut_lines : 0;
	*bytes = s ? s->cut_bytes : 0;
}

static enum sr_status read_some(struct sr_source *s, void *buf, size_t n, size_t *got,
				struct sr_error *err)
{
	enum sr_status st;

	*got = 0;
	if (n == 0)
		return SR_OK;
	if (s->pk_pos < s->pk_len) {
		size_t k = s->pk_len - s->pk_pos;

		if (k > n)
			k = n;
		memcpy(buf, s->pk + s->pk_pos, k);
		s->pk_pos += k;
		s->bytes += k;
		*got = k;
		return SR_OK;
	}
	st = fill(s, buf, n, got, err);
	s->bytes += *got;
	return st;
}

size_t sr_source_peek(struct sr_source *s, void *buf, size_t n, struct sr_error *err)
{
	size_t have;

	/* Move what is left of an earlier peek to the front, then top up. */
	if (s->pk_pos) {
		memmove(s->pk, s->pk + s->pk_pos, s->pk_len - s->pk_pos);
		s->pk_len -= s->pk_pos;
		s->pk_pos = 0;
	}
	if (n > s->pk_cap) {
		unsigned char *pk = realloc(s->pk, n);

		if (!pk) {
			fail(s, err, SR_ERR_NOMEM, "cannot read input", "out of memory");
			n = s->pk_cap;
		} else {
			s->pk = pk;
			s->pk_cap = n;
		}
	}
	while (s->pk_len < n) {
		size_t got;

		if (fill(s, s->pk + s->pk_len, n - s->pk_len, &got, err) || got == 0)
			break;
		s->pk_len += got;
	}
	have = s->pk_len < n ? s->pk_len : n;
	if (have)
		memcpy(buf, s->pk, have);
	return have;
}

bool sr_source_ready(struct sr_source *s, int ms)
{
	/* bytes already decoded or read, or a file: reading does not wait */
	if (s->status || s->pk_pos < s->pk_len || s->in_pos < s->in_len || s->in_eof)
		return true;
	if (s->codec == CODEC_GZIP || s->codec == CODEC_ZSTD)
		return true; /* a decoder may hold output: the read sees */
	return fd_ready(s->fd, ms);
}

enum sr_status sr_source_seek(struct sr_source *s, uint64_t off, struct sr_error *err)
{
	enum sr_status st;

	if (s->status)
		return failed(s, err);
	if (s->codec == CODEC_UNKNOWN && (st = detect(s, err)) != SR_OK)
		return st;
	if (s->codec != CODEC_PLAIN || s->idle)
		return sr_error_set(err, SR_ERR_USAGE,
				    "cannot seek in %s: compressed or live input", s->name);
	if (lseek(s->fd, (off_t)off, SEEK_SET) < 0)
		return sr_error_set(err, SR_ERR_USAGE, "cannot seek in %s: %s", s->name,
				    strerror(errno));
	/* what was read or peeked before is another place's bytes */
	s->pk_len = s->pk_pos = 0;
	s->in_len = s->in_pos = 0;
	s->in_base = off;
	s->in_eof = false;
	s->col = 0;
	s->dropping = false;
	s->bytes = off;
	return SR_OK;
}

const char *sr_source_name(const struct sr_source *s)
{
	return s->name;
}

uint64_t sr_source_bytes(const struct sr_source *s)
{
	return s->bytes;
}

void sr_source_close(struct sr_source *s)
{
	if (!s)
		return;
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	ZSTD_freeDStream(s->zd);
	if (s->zs_live)
		inflateEnd(&s->zs);
	free(s->pk);
	free(s->in);
	free(s->skip);
	free(s->name);
	free(s);
}
