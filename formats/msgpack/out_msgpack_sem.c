/*
 * out_msgpack_sem.c - the msgpack writer: by default the semantic record,
 * each event one plain map equal to its JSON Lines object
 * (docs/pb-msgpack.md); -O record=spelling hands the run to the spelled
 * writer of out_msgpack.c.
 *
 * The record is built once, by the JSON Lines writer, taken through the
 * public writer interface into a sink of our own (sr_sink_open_fn), and
 * each line transcoded into msgpack (core/mp_json.c).  A second encoder of
 * the record would have to follow every change of the JSON one; this way
 * "the map equals json.loads of the line" holds by construction, and the
 * cost is one pass over text that is still in the cache (measured in
 * docs/pb-msgpack.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mp_json.h"
#include "msgpack_internal.h"

struct sr_writer {
	const struct sr_writer_class *spelled; /* borrowed: set for record=spelling */
	const struct sr_writer_class *jc;      /* borrowed: the JSON Lines writer */
	struct sr_writer *inner; /* owned: the spelled writer, or the JSON Lines one */
	struct sr_sink *out;	 /* borrowed */
	struct sr_sink *text;	 /* owned: the JSON Lines, handed to take() */
	struct sr_buf part;	 /* owned: a line cut by the text sink's buffer */
	struct sr_buf mp;	 /* owned: the msgpack of the lines taken */
	enum sr_status st;	 /* a line that did not transcode (a bug) */
	struct sr_error why;
};

/* One line of JSON text: its map, after the maps before it. */
static int line(struct sr_writer *w, const char *s, size_t n)
{
	struct sr_mpj_err e;
	size_t used;

	if (!n)
		return 0;
	used = sr_json_to_mp(s, n, &w->mp, &e);
	while (used && used < n && (s[used] == ' ' || s[used] == '\r'))
		used++;
	if (!used || used != n) {
		w->st = sr_error_set(&w->why, SR_ERR_FORMAT,
				     "cannot write msgpack: the JSON record does not transcode: "
				     "expected %s at byte %zu of: %.*s",
				     used ? "one value per line" : e.why, used ? used : e.at,
				     (int)(n < 80 ? n : 80), s);
		return EINVAL;
	}
	return 0;
}

/* The text sink's destination: complete lines become maps at once, a
 * line cut by the sink's buffer waits in part for its end. */
static int take(void *ctx, const void *p, size_t n)
{
	struct sr_writer *w = ctx;
	const char *s = p, *e = s + n, *nl;
	int rc;

	if (w->st)
		return EINVAL;
	if (w->part.len) {
		nl = memchr(s, '\n', n);
		sr_buf_add(&w->part, s, nl ? (size_t)(nl - s) : n);
		if (!w->part.p)
			return ENOMEM;
		if (!nl)
			return 0;
		rc = line(w, w->part.p, w->part.len);
		w->part.len = 0;
		if (rc)
			return rc;
		s = nl + 1;
	}
	while (s < e && (nl = memchr(s, '\n', (size_t)(e - s)))) {
		if ((rc = line(w, s, (size_t)(nl - s))) != 0)
			return rc;
		s = nl + 1;
	}
	if (s < e) {
		sr_buf_add(&w->part, s, (size_t)(e - s));
		if (!w->part.p)
			return ENOMEM;
	}
	if (w->mp.len) {
		sr_sink_write(w->out, w->mp.p, w->mp.len);
		w->mp.len = 0;
	}
	return 0;
}

/* The text sink's error, or a line's that take() refused. */
static enum sr_status drain(struct sr_writer *w, struct sr_error *err)
{
	enum sr_status st = sr_sink_flush(w->text, err);

	if (w->st) {
		if (err)
			*err = w->why;
		return w->st;
	}
	return st;
}

static void msgpack_close(struct sr_writer *w)
{
	if (!w)
		return;
	if (w->spelled) {
		if (w->inner)
			w->spelled->close(w->inner);
	} else {
		if (w->inner)
			w->jc->close(w->inner);
		/* what is left in the text sink is not for the output */
		w->st = SR_ERR_FORMAT;
		sr_sink_close(w->text, NULL);
	}
	sr_buf_free(&w->part);
	sr_buf_free(&w->mp);
	free(w);
}

/* The header: a map whose first key is "sysrep", and "record" saying the
 * form (docs/pb-msgpack.md). */
static enum sr_status header(struct sr_writer *w, const char *arch, struct sr_error *err)
{
	char text[200];
	struct sr_mpj_err e;
	int n;

	n = snprintf(text, sizeof(text),
		     "{\"sysrep\":\"msgpack\",\"schema_version\":%d,\"record\":\"semantic\","
		     "\"generator\":\"sysrep " SR_VERSION "\",\"arch\":\"%s\"}",
		     SR_MP_SEMANTIC_SCHEMA, arch);
	if (!sr_json_to_mp(text, (size_t)n, &w->mp, &e))
		return sr_error_set(err, SR_ERR_NOMEM, "cannot write msgpack: %s", e.why);
	sr_sink_write(w->out, w->mp.p, w->mp.len);
	w->mp.len = 0;
	return SR_OK;
}

static enum sr_status msgpack_open(struct sr_writer **wp, struct sr_sink *out,
				   const struct sr_opts *opts, struct sr_error *err)
{
	const char *record = sr_opts_get(opts, "record", "semantic");
	enum sr_arch arch = sr_arch_parse(sr_opts_get(opts, "arch", "x86_64"));
	struct sr_writer *w;
	enum sr_status st;

	*wp = NULL;
	if (strcmp(record, "semantic") && strcmp(record, "spelling"))
		return sr_error_set(err, SR_ERR_USAGE,
				    "unknown -O record=%s for msgpack (semantic, spelling)",
				    record);
	w = calloc(1, sizeof(*w));
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open msgpack output: out of memory");
	w->out = out;
	if (!strcmp(record, "spelling")) {
		w->spelled = &sr_out_msgpack_spelled;
		st = w->spelled->open(&w->inner, out, opts, err);
		goto out;
	}
	/* through the public registry: a format includes no other's headers;
	 * the JSON Lines writer checks the options it shares (arch, fmt) */
	w->jc = sr_writer_find("jsonl");
	if (!w->jc) {
		st = sr_error_set(err, SR_ERR_FORMAT,
				  "cannot open msgpack output: no jsonl writer");
		goto out;
	}
	st = sr_sink_open_fn(&w->text, sr_sink_name(out), take, w, err);
	if (st == SR_OK)
		st = w->jc->open(&w->inner, w->text, opts, err);
	if (st == SR_OK)
		st = header(w, sr_arch_name(arch == SR_ARCH_UNKNOWN ? SR_ARCH_DEFAULT : arch), err);
out:
	if (st < 0) {
		msgpack_close(w);
		return st;
	}
	*wp = w;
	return SR_OK;
}

static enum sr_status msgpack_write(struct sr_writer *w, const struct sr_batch *b,
				    struct sr_error *err)
{
	enum sr_status st;

	if (w->spelled)
		return w->spelled->write(w->inner, b, err);
	st = w->jc->write(w->inner, b, err);
	/* every line through take(), so that the sink has the batch */
	return st < 0 ? st : drain(w, err);
}

static enum sr_status msgpack_finish(struct sr_writer *w, struct sr_error *err)
{
	enum sr_status st;

	if (w->spelled)
		return w->spelled->finish(w->inner, err);
	st = w->jc->finish(w->inner, err);
	if (st >= 0)
		st = drain(w, err);
	if (st >= 0 && w->part.len)
		st = sr_error_set(err, SR_ERR_FORMAT,
				  "cannot write msgpack: the JSON record's last line has no end");
	return st;
}

static const struct sr_optdesc msgpack_keys[] = {
	{ "record", "semantic (default): the JSON Lines record as plain maps; spelling: the "
		    "spelled event model with a string table" },
	{ "arch", "the syscall signatures and numbers: x86_64 (default), i386, aarch64" },
	{ "fmt", "none: leave out the \"fmt\" keys (semantic form; no longer lossless)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_msgpack = {
	.name = "msgpack",
	.ext = ".msgpack",
	.summary =
		"MessagePack: one map per event, the jsonl record (-O record=spelling: the spelled event model)",
	.open = msgpack_open,
	.write = msgpack_write,
	.finish = msgpack_finish,
	.close = msgpack_close,
	.opt_keys = msgpack_keys,
};
