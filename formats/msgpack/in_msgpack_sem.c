/*
 * in_msgpack_sem.c - the msgpack reader: both forms of the format
 * (docs/pb-msgpack.md), told apart by the header's "record" key.
 *
 * A spelled stream (no "record", or "spelling") goes to in_msgpack.c's
 * reader.  A semantic one holds the JSON Lines record as maps: each map is
 * turned back into its JSON line (core/mp_json.c) and the lines are read by
 * the JSON reader through a source of our own (sr_source_open_fn), so one
 * decoder of the record serves both formats.  Errors keep the msgpack
 * terms: a map that cannot be JSON (cut short, corrupt) is reported at its
 * byte offset once the lines before it are read, so --keep-going keeps
 * their events; a record the JSON reader refuses is reported at the byte
 * offset of its map.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mp_json.h"
#include "msgpack_internal.h"

#define CHUNK (256u << 10)
#define PEEK (64u << 10)
/* the offsets of the last RING records turned into lines, for the JSON
 * reader's errors (it holds at most a batch and a buffer of lines) */
#define RING (1u << 16)

struct sr_reader {
	const struct sr_reader_class *impl; /* borrowed: the reader in use */
	struct sr_reader *inner;	    /* owned: the spelled reader, or the JSON one */
	struct sr_source *in;		    /* borrowed: the msgpack stream */
	struct sr_source *text;		    /* owned: the JSON Lines made from it */
	unsigned char *buf;		    /* owned: input not yet transcoded is buf[pos..len) */
	size_t len, cap, pos;
	uint64_t off;	    /* stream offset of buf[0] */
	bool eof, header;   /* header: read (and dropped) */
	struct sr_buf json; /* owned: lines not yet handed out: json.p[jpos..len) */
	size_t jpos;
	enum sr_status st;     /* a map that could not be a line: reported once the */
	struct sr_error saved; /* lines before it are read */
	uint64_t nrec;	       /* records turned into lines (line nrec is record nrec) */
	uint64_t *ring;	       /* owned: record r's offset at ring[r % RING] */
	struct sr_opt *opts;   /* owned: the caller's options, and the header's arch */
	char arch[16];
};

static enum sr_status mp_error(struct sr_reader *r, uint64_t at, const char *why,
			       struct sr_error *err)
{
	sr_error_set(err, SR_ERR_PARSE, "cannot parse msgpack input: byte=%llu: expected %s",
		     (unsigned long long)at, why);
	sr_error_file(err, sr_source_name(r->in));
	return SR_ERR_PARSE;
}

/* More input behind buf[pos..len): the transcoded bytes dropped, the
 * buffer grown when an object fills it. */
static enum sr_status more(struct sr_reader *r, struct sr_error *err)
{
	size_t got;
	enum sr_status st;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->off += r->pos;
		r->pos = 0;
	}
	if (r->len == r->cap) {
		unsigned char *n = realloc(r->buf, r->cap * 2);

		if (!n)
			return sr_error_set(err, SR_ERR_NOMEM,
					    "cannot read msgpack input: out of memory");
		r->buf = n;
		r->cap *= 2;
	}
	st = sr_source_read(r->in, r->buf + r->len, r->cap - r->len, &got, err);
	if (st < 0)
		return st;
	r->eof = got == 0;
	r->len += got;
	return SR_OK;
}

/* Turns maps into lines until about n bytes of them are ready, the input
 * ends or a map cannot be a line (kept in r->st). */
static void transcode(struct sr_reader *r, size_t n)
{
	struct sr_mpj_err e;
	size_t used;
	int rc;

	while (r->json.len < n) {
		if (r->pos == r->len && r->eof)
			return;
		rc = sr_mp_to_json(r->buf + r->pos, r->len - r->pos, &r->json, &used, &e);
		if (rc > 0) {
			if (!r->header) {
				/* checked in open(): not a line */
				r->header = true;
				r->json.len = 0;
			} else {
				sr_buf_addc(&r->json, '\n');
				r->ring[++r->nrec % RING] = r->off + r->pos;
			}
			if (!r->json.p) {
				r->st = sr_error_set(&r->saved, SR_ERR_NOMEM,
						     "cannot read msgpack input: out of memory");
				return;
			}
			r->pos += used;
			continue;
		}
		if (rc < 0) {
			r->st = mp_error(r, r->off + r->pos + e.at, e.why, &r->saved);
			return;
		}
		/* cut short: lines first, then more input */
		if (r->json.len)
			return;
		if (r->eof) {
			r->st = mp_error(r, r->off + r->len, e.why, &r->saved);
			return;
		}
		if ((r->st = more(r, &r->saved)) < 0)
			return;
	}
}

/* The text source: lines, and an error after the lines before it. */
static enum sr_status produce(void *ctx, void *p, size_t n, size_t *got, struct sr_error *err)
{
	struct sr_reader *r = ctx;
	size_t k;

	*got = 0;
	if (r->jpos == r->json.len) {
		r->json.len = r->jpos = 0;
		if (!r->st)
			transcode(r, n < CHUNK ? n : CHUNK);
		if (!r->json.len && r->st) {
			if (err)
				*err = r->saved;
			return r->st;
		}
	}
	k = r->json.len - r->jpos < n ? r->json.len - r->jpos : n;
	memcpy(p, r->json.p + r->jpos, k);
	r->jpos += k;
	*got = k;
	return SR_OK;
}

/* What the header says: the form, and for the semantic form its magic,
 * schema and arch.  Read with a scan of our own: msgpack-c's unpacker
 * allocates what a container's header announces, and a damaged header
 * may announce 2^32 entries (found by the fuzz corpus under ASan). */
struct head {
	bool map; /* a whole map */
	bool bad; /* a map, damaged or cut at byte bad_at */
	bool cut; /* ... cut: the input (or the first PEEK bytes) ends */
	size_t bad_at;
	bool semantic;	  /* "record": "semantic" */
	bool magic;	  /* "sysrep": "msgpack" */
	uint64_t version; /* "schema_version" */
	char arch[16];	  /* "arch" */
};

static inline uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The str at p[*i]: its bytes and length, *i moved past it; false when
 * p[*i] starts no str, or (*cut set) the str is cut short. */
static bool str_at(const unsigned char *p, size_t n, size_t *i, const unsigned char **s,
		   size_t *len, bool *cut)
{
	unsigned char b;
	int w;

	if (*i >= n)
		return !(*cut = true);
	b = p[*i];
	if ((b & 0xe0) == 0xa0) {
		w = 0;
		*len = b & 31;
	} else if (b >= 0xd9 && b <= 0xdb) {
		w = 1 << (b - 0xd9);
		if (n - *i < 1 + (size_t)w)
			return !(*cut = true);
		*len = be(p + *i + 1, w);
	} else {
		return false;
	}
	if (n - *i - 1 - (size_t)w < *len)
		return !(*cut = true);
	*s = p + *i + 1 + w;
	*i += 1 + (size_t)w + *len;
	return true;
}

/* Skips one whole object at p[*i..n); false when it has a reserved byte,
 * or (*cut set) it is cut short.  No allocation and no recursion: a count of objects
 * still to skip, and each turn consumes a byte, so the work is bounded by
 * the input whatever sizes a hostile header announces. */
static bool skip_obj(const unsigned char *p, size_t n, size_t *i, bool *cut)
{
	uint64_t todo = 1, len;
	int w;

	while (todo) {
		unsigned char b;

		if (*i >= n)
			return !(*cut = true);
		b = p[(*i)++];
		todo--;
		if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
			continue;
		if ((b & 0xe0) == 0xa0) {
			len = b & 31;
			goto bytes;
		}
		if ((b & 0xf0) == 0x80 || (b & 0xf0) == 0x90) {
			todo += (b & 0xf0) == 0x80 ? 2 * (uint64_t)(b & 15) : (uint64_t)(b & 15);
			continue;
		}
		switch (b) {
		case 0xcc:
		case 0xd0:
			len = 1;
			goto bytes;
		case 0xcd:
		case 0xd1:
			len = 2;
			goto bytes;
		case 0xca:
		case 0xce:
		case 0xd2:
			len = 4;
			goto bytes;
		case 0xcb:
		case 0xcf:
		case 0xd3:
			len = 8;
			goto bytes;
		case 0xd4:
			len = 2;
			goto bytes; /* fixext: a type byte, then data */
		case 0xd5:
			len = 3;
			goto bytes;
		case 0xd6:
			len = 5;
			goto bytes;
		case 0xd7:
			len = 9;
			goto bytes;
		case 0xd8:
			len = 17;
			goto bytes;
		case 0xc4:
		case 0xd9:
			w = 1;
			break;
		case 0xc5:
		case 0xda:
			w = 2;
			break;
		case 0xc6:
		case 0xdb:
			w = 4;
			break;
		case 0xc7:
			w = 1;
			break;
		case 0xc8:
			w = 2;
			break;
		case 0xc9:
			w = 4;
			break;
		case 0xdc:
		case 0xde:
			w = 2;
			break;
		case 0xdd:
		case 0xdf:
			w = 4;
			break;
		default:
			return false; /* 0xc1 */
		}
		if (n - *i < (size_t)w)
			return !(*cut = true);
		len = be(p + *i, w);
		*i += (size_t)w;
		if (b >= 0xdc) {
			todo += b >= 0xde ? 2 * len : len;
			continue;
		}
		if (b >= 0xc7 && b <= 0xc9)
			len++; /* an ext's type byte */
	bytes:
		if (n - *i < len)
			return !(*cut = true);
		*i += (size_t)len;
	}
	return true;
}

static bool is(const unsigned char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(s, lit, n);
}

/* The header, from the first bytes of the input: a map of str keys whose
 * values are read where they are str ("record", "sysrep", "arch") or a
 * positive integer ("schema_version"), skipped otherwise.  No input, or
 * no map: hd->map false, and the spelled reader says what is wrong; a map
 * that is damaged or cut short: hd->bad, at the entry where it fails. */
static void peek_header(struct sr_source *in, struct head *hd)
{
	unsigned char *p = malloc(PEEK);
	size_t n, i = 1, len;
	uint64_t count, k;
	const unsigned char *key, *val;

	memset(hd, 0, sizeof(*hd));
	if (!p)
		return;
	n = sr_source_peek(in, p, PEEK, NULL);
	if (!n)
		goto out;
	if ((p[0] & 0xf0) == 0x80) {
		count = p[0] & 15;
	} else if (p[0] == 0xde && n >= 3) {
		count = be(p + 1, 2);
		i = 3;
	} else {
		goto out;
	}
	hd->bad = true; /* until it is whole */
	for (k = 0; k < count; k++) {
		hd->bad_at = i;
		if (!str_at(p, n, &i, &key, &len, &hd->cut))
			goto out;
		if (is(key, len, "schema_version") && i < n && p[i] <= 0x7f) {
			hd->version = p[i++];
			continue;
		}
		if (is(key, len, "record") || is(key, len, "sysrep") || is(key, len, "arch")) {
			size_t at = i, vlen;

			if (str_at(p, n, &i, &val, &vlen, &hd->cut)) {
				if (is(key, len, "record"))
					hd->semantic = is(val, vlen, "semantic");
				else if (is(key, len, "sysrep"))
					hd->magic = is(val, vlen, "msgpack");
				else if (vlen < sizeof(hd->arch))
					memcpy(hd->arch, val, vlen);
				continue;
			}
			i = at;
			hd->cut = false;
		}
		if (!skip_obj(p, n, &i, &hd->cut))
			goto out;
	}
	hd->map = true;
	hd->bad = false;
out:
	if (!hd->map)
		hd->semantic = false;
	free(p);
}

static void msgpack_close(struct sr_reader *r)
{
	if (!r)
		return;
	if (r->inner)
		r->impl->close(r->inner);
	sr_source_close(r->text);
	free(r->buf);
	sr_buf_free(&r->json);
	free(r->ring);
	free(r->opts);
	free(r);
}

/* The JSON reader's options: the caller's, with the header's arch unless
 * the caller gave one (the record is spelled back with the signatures it
 * was written with). */
static enum sr_status json_opts(struct sr_reader *r, const struct sr_opts *opts, const char *arch,
				struct sr_opts *out)
{
	size_t n = opts ? opts->n : 0;

	r->opts = calloc(n + 1, sizeof(*r->opts));
	if (!r->opts)
		return SR_ERR_NOMEM;
	if (n)
		memcpy(r->opts, opts->v, n * sizeof(*r->opts));
	if (*arch && !sr_opts_get(opts, "arch", NULL)) {
		snprintf(r->arch, sizeof(r->arch), "%s", arch);
		r->opts[n++] = (struct sr_opt){ "arch", r->arch };
	}
	*out = (struct sr_opts){ r->opts, n };
	return SR_OK;
}

static enum sr_status msgpack_open(struct sr_reader **rp, struct sr_source *in,
				   const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));
	struct head hd;
	struct sr_opts jo;
	enum sr_status st;

	*rp = NULL;
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open msgpack input: out of memory");
	r->in = in;
	peek_header(in, &hd);
	if (hd.bad) {
		st = mp_error(r, hd.bad_at,
			      hd.cut ? "more input (the header map is cut short)"
				     : "a header entry (a str key and a whole value)",
			      err);
		goto out;
	}
	if (hd.map && hd.version == SR_MP_SEMANTIC_SCHEMA && !hd.semantic) {
		/* a semantic stream's header, damaged where it says so */
		st = mp_error(r, 0, "a header with \"record\": \"semantic\" (schema_version 2)",
			      err);
		goto out;
	}
	if (!hd.semantic) {
		/* spelled, or no header the spelled reader would take either:
		 * its messages say what is wrong */
		r->impl = &sr_in_msgpack_spelled;
		st = r->impl->open(&r->inner, in, opts, err);
		goto out;
	}
	if (!hd.magic) {
		st = mp_error(r, 0, "a sysrep stream (\"sysrep\": \"msgpack\" in the header)", err);
		goto out;
	}
	if (hd.version > SR_MP_SEMANTIC_SCHEMA) {
		st = sr_error_set(err, SR_ERR_UNSUPPORTED,
				  "cannot read msgpack input: schema_version %llu is newer than "
				  "this sysrep's (%d)",
				  (unsigned long long)hd.version, SR_MP_SEMANTIC_SCHEMA);
		sr_error_file(err, sr_source_name(in));
		goto out;
	}
	st = json_opts(r, opts, hd.arch, &jo);
	r->impl = sr_reader_find("json");
	r->cap = CHUNK;
	r->buf = malloc(r->cap);
	r->ring = malloc(RING * sizeof(*r->ring));
	if (st < 0 || !r->impl || !r->buf || !r->ring) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot open msgpack input: out of memory");
		goto out;
	}
	st = sr_source_open_fn(&r->text, sr_source_name(in), produce, r, err);
	if (st == SR_OK)
		st = r->impl->open(&r->inner, r->text, &jo, err);
out:
	if (st < 0) {
		msgpack_close(r);
		return st;
	}
	*rp = r;
	return SR_OK;
}

static enum sr_status msgpack_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	enum sr_status st = r->impl->next(r->inner, b, err);
	const char *msg;

	if (st >= 0 || !r->text || !err || err->code != SR_ERR_PARSE || !err->line)
		return st;
	/* the JSON reader's error in line L: the map of record L */
	if (err->line > r->nrec || r->nrec - err->line >= RING)
		return st;
	msg = strncmp(err->msg, "cannot parse: ", 14) ? err->msg : err->msg + 14;
	{
		char why[sizeof(err->msg)];
		uint64_t at = r->ring[err->line % RING], rec = err->line;

		snprintf(why, sizeof(why), "%s", msg);
		sr_error_set(err, SR_ERR_PARSE,
			     "cannot parse msgpack input: byte=%llu: record %llu: %s",
			     (unsigned long long)at, (unsigned long long)rec, why);
		sr_error_file(err, sr_source_name(r->in));
	}
	return st;
}

/* A map whose first key is "sysrep", as the spelled reader's */
static int msgpack_probe(const void *head, size_t n)
{
	return sr_in_msgpack_spelled.probe(head, n);
}

static const struct sr_optdesc msgpack_keys[] = {
	{ "arch", "semantic form: the signatures to spell records back with (default: the "
		  "header's)" },
	{ NULL, NULL },
};

const struct sr_reader_class sr_in_msgpack = {
	.name = "msgpack",
	.exts = ".msgpack,.mpk",
	.summary = "sysrep's MessagePack stream (a header map, one map per event)",
	.probe = msgpack_probe,
	.open = msgpack_open,
	.next = msgpack_next,
	.close = msgpack_close,
	.opt_keys = msgpack_keys,
};
