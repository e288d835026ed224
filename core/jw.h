/*
 * jw.h - text and JSON into a growable buffer, for the views (process tree,
 * report) whose output is built at the end of the run.
 *
 * With out set, the writer streams: sr_jw_spill, called between pieces,
 * hands the buffer to the sink once it holds SR_JW_SPILL bytes, so the
 * buffer stays small however big the output (a tree of 20,000 levels);
 * sr_jw_drain hands over the rest.  Without out, everything stays in b.
 *
 * Running out of memory is sticky: jw.oom is set, later writes are dropped,
 * and the caller checks the flag once at the end.  With html set, every '<'
 * inside a JSON string is written as \u003c, so that the JSON can sit in an
 * HTML <script> element without a "</script>" in a path ending it early.
 */
#ifndef SR_JW_H
#define SR_JW_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_emit.h"
#include "strace_text.h"

struct sr_jw {
	struct sr_buf b; /* owned: free with sr_buf_free(&jw.b) */
	struct sr_sink *out; /* borrowed: where spilled bytes go; NULL: keep them */
	bool oom;
	bool html;
};

#define SR_JW_SPILL (64u << 10)

/* Streaming: the buffer goes to the sink once it is big enough. */
static inline void sr_jw_spill(struct sr_jw *w)
{
	if (w->out && w->b.len >= SR_JW_SPILL && !w->oom) {
		sr_sink_write(w->out, w->b.p, w->b.len);
		w->b.len = 0;
	}
}

/* Streaming: what is left in the buffer goes to the sink. */
static inline void sr_jw_drain(struct sr_jw *w)
{
	if (!w->out || w->oom)
		return;
	if (w->b.len)
		sr_sink_write(w->out, w->b.p, w->b.len);
	w->b.len = 0;
}

/* Room for n more bytes at the end of the buffer, or NULL (oom set). */
static inline char *sr_jw_room(struct sr_jw *w, size_t n)
{
	if (w->oom || !sr_buf_grow(&w->b, n)) {
		w->oom = true;
		return NULL;
	}
	return w->b.p + w->b.len;
}

static inline void sr_jw_raw(struct sr_jw *w, const char *s, size_t n)
{
	char *d;

	if (!n)
		return; /* s may be NULL then: an empty sr_buf */
	d = sr_jw_room(w, n);
	if (d) {
		memcpy(d, s, n);
		w->b.len += n;
	}
}

static inline void sr_jw_puts(struct sr_jw *w, const char *s)
{
	sr_jw_raw(w, s, strlen(s));
}

static inline void sr_jw_c(struct sr_jw *w, char c)
{
	sr_jw_raw(w, &c, 1);
}

/* The contents of a JSON string, without quotes. */
static inline void sr_jw_esc(struct sr_jw *w, const char *s, size_t n)
{
	while (n) {
		/* '<' is never part of a multi-byte UTF-8 sequence, so the
		 * pieces between them escape alone */
		const char *lt = w->html ? memchr(s, '<', n) : NULL;
		size_t k = lt ? (size_t)(lt - s) : n;
		char *d = sr_jw_room(w, SR_JSON_ESC_MAX(k) + 6);

		if (!d)
			return;
		d = sr_json_esc(d, s, k, NULL);
		if (lt) {
			memcpy(d, "\\u003c", 6);
			d += 6;
			k++;
		}
		w->b.len = (size_t)(d - w->b.p);
		s += k;
		n -= k;
	}
}

static inline void sr_jw_str(struct sr_jw *w, const char *s, size_t n)
{
	sr_jw_c(w, '"');
	sr_jw_esc(w, s, n);
	sr_jw_c(w, '"');
}

static inline void sr_jw_cstr(struct sr_jw *w, const char *s)
{
	sr_jw_str(w, s, strlen(s));
}

static inline void sr_jw_i64(struct sr_jw *w, int64_t v)
{
	char *d = sr_jw_room(w, SR_JSON_INT_MAX);

	if (d)
		w->b.len = (size_t)(sr_json_i64(d, v) - w->b.p);
}

static inline void sr_jw_u64(struct sr_jw *w, uint64_t v)
{
	char *d = sr_jw_room(w, SR_JSON_INT_MAX);

	if (d)
		w->b.len = (size_t)(sr_json_u64(d, v) - w->b.p);
}

/* Nanoseconds as seconds with 9 fraction digits, trailing zeros cut. */
static inline void sr_jw_secs(struct sr_jw *w, int64_t ns)
{
	char tmp[48];
	int n;

	if (ns < 0) {
		sr_jw_c(w, '-');
		ns = -ns;
	}
	n = snprintf(tmp, sizeof(tmp), "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
	while (n > 0 && tmp[n - 1] == '0')
		n--;
	if (n > 0 && tmp[n - 1] == '.')
		n--;
	sr_jw_raw(w, tmp, (size_t)n);
}

/* "key": (with a comma before it unless first) */
static inline void sr_jw_key(struct sr_jw *w, const char *key, bool first)
{
	if (!first)
		sr_jw_c(w, ',');
	sr_jw_c(w, '"');
	sr_jw_puts(w, key);
	sr_jw_raw(w, "\":", 2);
}

#endif /* SR_JW_H */
