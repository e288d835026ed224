/*
 * in_archive.c - the archive reader (docs/archive.md, archive_internal.h).
 *
 * A block is read whole, its streams decompressed, then its events are
 * decoded a batch at a time, mirroring out_archive.c step by step: every
 * prediction the writer made, the reader makes from what it decoded so far.
 * Strings point into the decompressed streams, which live until the next
 * block is loaded (in a later next()), so nothing is copied per string.
 *
 * The input is untrusted: every read is bounds-checked, every count is
 * checked against the bytes that could hold it, block headers carry a
 * CRC-32 and each stream zstd's checksum (lean archives: one CRC-32 of the
 * block's payloads instead), and the end mark must come.  Any
 * failure is SR_ERR_PARSE naming the archive byte where its block (or the
 * mark) starts; nothing is ever returned from a block that failed.
 */
#include <stdio.h>

#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_getFrameHeader */
#ifdef SR_FUZZING
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_forceIgnoreChecksum */
#endif
#include <zstd.h>

#include "archive_internal.h"

#define BATCH_EVENTS 4096

struct rd {
	const uint8_t *p, *end;
};

struct sr_reader {
	struct sr_source *in; /* borrowed */
	uint64_t off;	      /* archive bytes consumed */
	uint64_t block_off;   /* where the current block started */
	uint64_t nblock;      /* blocks read in the current archive */
	uint64_t nevents;     /* events read in the current archive */
	bool started;	      /* the magic was read */
	bool ended;	      /* the end mark was read */
	bool bad;	      /* a decoding read failed */
	const char *why;      /* what failed */
	ZSTD_DCtx *dc;	      /* owned */
	ZSTD_DDict *ddict[SRA_NSTREAMS]; /* owned: the shipped dictionaries, made
					  * when an archive needs them */
	bool dict;	      /* the current archive uses them */
	bool lean;	      /* ... and SRA_F_LEAN frames */
	struct sr_buf scratch; /* owned: printing for padcol */
	uint8_t *comp;	      /* owned: a block's compressed streams */
	size_t comp_cap;
	uint8_t *st[SRA_NSTREAMS]; /* owned: decompressed streams */
	size_t st_cap[SRA_NSTREAMS];
	struct rd s[SRA_NSTREAMS];
	uint64_t left; /* events of the block not yet decoded */
	/* the block's tables, as in out_archive.c */
	struct sr_str *ids; /* owned: views into the IDDAT stream */
	const struct sr_atom **atoms; /* owned: ids interned as atoms, lazily */
	size_t nids, cap_ids;
	struct sr_str *strs; /* owned: views into STRDAT / TXTDAT */
	size_t nstrs, cap_strs;
	uint32_t *sctx; /* owned */
	uint64_t *ictx; /* owned */
	int32_t *nr_pred; /* owned */
	size_t nr_cap;
	int64_t pids[SRA_PIDS];
	int npids;
	int64_t last_lit_pid, prev_pid;
	uint64_t prev_units[4];
	uint64_t prev_line, prev_ip;
	uint8_t desc[SRA_DESC_LEN];
	bool have_desc;
};

/* ---- reading the container ------------------------------------------- */

static enum sr_status corrupt(struct sr_reader *r, struct sr_error *err, uint64_t at,
			      const char *what)
{
	(void)r;
	return sr_error_set(err, SR_ERR_PARSE, "cannot read archive: %s at byte %llu", what,
			    (unsigned long long)at);
}

/* Reads exactly n bytes; *got < n only at the end of the input. */
static enum sr_status read_full(struct sr_reader *r, void *p, size_t n, size_t *got,
				struct sr_error *err)
{
	size_t k;
	enum sr_status st;

	*got = 0;
	while (*got < n) {
		st = sr_source_read(r->in, (char *)p + *got, n - *got, &k, err);
		if (st < 0)
			return st;
		if (k == 0)
			break;
		*got += k;
		r->off += k;
	}
	return SR_OK;
}

/* Reads exactly n bytes or fails naming where the archive was cut. */
static enum sr_status need(struct sr_reader *r, void *p, size_t n, uint64_t start,
			   const char *what, struct sr_error *err)
{
	size_t got;
	enum sr_status st = read_full(r, p, n, &got, err);

	if (st)
		return st;
	if (got < n)
		return sr_error_set(err, SR_ERR_PARSE,
				    "cannot read archive: truncated: the input ends at byte %llu "
				    "inside the %s that starts at byte %llu",
				    (unsigned long long)r->off, what, (unsigned long long)start);
	return SR_OK;
}

/* A varint of the container, byte by byte; the crc covers them. */
static enum sr_status need_uv(struct sr_reader *r, uint8_t *hdr, size_t *n, size_t max,
			      uint64_t *v, uint64_t start, const char *what, struct sr_error *err)
{
	enum sr_status st;

	*v = 0;
	for (int sh = 0; sh < 64; sh += 7) {
		if (*n >= max)
			break;
		st = need(r, hdr + *n, 1, start, what, err);
		if (st)
			return st;
		*v |= (uint64_t)(hdr[*n] & 0x7f) << sh;
		if (!(hdr[(*n)++] & 0x80))
			return SR_OK;
	}
	return corrupt(r, err, start, "bad varint in header");
}

static enum sr_status check_crc(struct sr_reader *r, uint8_t *hdr, size_t n, uint64_t start,
				const char *what, struct sr_error *err)
{
	uint8_t c[4];
	uint32_t want, got;
	enum sr_status st = need(r, c, 4, start, what, err);

	if (st)
		return st;
	want = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
	got = (uint32_t)crc32(0, hdr, (uInt)n);
#ifdef SR_FUZZING
	/* the fuzzing build (make fuzz) takes any checksum: a mutated
	 * byte must reach the column decoders, not stop here */
	got = want;
#endif
	if (want != got)
		return corrupt(r, err, start, "header checksum mismatch (corrupt)");
	return SR_OK;
}

/* After the magic: version, flags and the dictionary set's id.  The
 * dictionaries are checked by id: an archive made with another set (a
 * sysrep whose dictionaries were retrained) is refused, not misread. */
static enum sr_status read_head(struct sr_reader *r, uint64_t start, struct sr_error *err)
{
	uint8_t vf[2], id[4];
	uint32_t set;
	enum sr_status st = need(r, vf, 2, start, "archive header", err);

	if (st)
		return st;
	if (vf[0] != SRA_VERSION)
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot read archive: version %u at byte %llu (this build reads %u)",
				    vf[0], (unsigned long long)start, SRA_VERSION);
	if (vf[1] & ~(SRA_F_DICT | SRA_F_LEAN))
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot read archive: unknown flags 0x%02x at byte %llu",
				    vf[1], (unsigned long long)start + SRA_MAGIC_LEN + 1);
	r->dict = vf[1] & SRA_F_DICT;
	r->lean = vf[1] & SRA_F_LEAN;
	if (ZSTD_isError(ZSTD_DCtx_setParameter(r->dc, ZSTD_d_format,
						r->lean ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1)))
		return sr_error_set(err, SR_ERR_NOMEM, "cannot read archive: zstd refused a format");
	if (r->dict) {
		st = need(r, id, 4, start, "archive header", err);
		if (st)
			return st;
		set = (uint32_t)id[0] | (uint32_t)id[1] << 8 | (uint32_t)id[2] << 16 |
		      (uint32_t)id[3] << 24;
		if (set != sra_dict_set_id || !set)
			return sr_error_set(err, SR_ERR_UNSUPPORTED,
					    "cannot read archive: made with dictionary set 0x%08x "
					    "(at byte %llu), this build has 0x%08x",
					    set, (unsigned long long)start, sra_dict_set_id);
		for (int i = 0; i < SRA_NSTREAMS; i++) {
			if (r->ddict[i] || !sra_dicts[i].n)
				continue;
			r->ddict[i] = ZSTD_createDDict(sra_dicts[i].p, sra_dicts[i].n);
			if (!r->ddict[i])
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot read archive: out of memory");
		}
	}
	return SR_OK;
}

static enum sr_status read_magic(struct sr_reader *r, struct sr_error *err)
{
	uint8_t head[SRA_MAGIC_LEN];
	uint64_t start = r->off;
	enum sr_status st = need(r, head, sizeof(head), start, "archive header", err);

	if (st)
		return st;
	if (memcmp(head, SRA_MAGIC, SRA_MAGIC_LEN))
		return sr_error_set(err, SR_ERR_FORMAT,
				    "cannot read archive: no archive magic at byte %llu",
				    (unsigned long long)start);
	st = read_head(r, start, err);
	if (st)
		return st;
	r->started = true;
	r->ended = false;
	r->nblock = r->nevents = 0;
	return SR_OK;
}

static void block_reset(struct sr_reader *r)
{
	r->nids = r->nstrs = 0;
	memset(r->sctx, 0, SRA_CTX_SIZE * sizeof(*r->sctx));
	memset(r->ictx, 0, SRA_CTX_SIZE * sizeof(*r->ictx));
	for (size_t i = 0; i < r->nr_cap; i++)
		r->nr_pred[i] = -1;
	r->npids = 0;
	r->last_lit_pid = 0;
	r->prev_pid = -1;
	memset(r->prev_units, 0, sizeof(r->prev_units));
	r->prev_line = 0;
	r->prev_ip = 0;
	r->have_desc = false;
	r->bad = false;
	r->why = NULL;
}

static enum sr_status load_block(struct sr_reader *r, uint64_t start, struct sr_error *err)
{
	uint8_t hdr[SRA_MAX_HEADER];
	uint64_t nev, ns, raw[SRA_NSTREAMS], comp[SRA_NSTREAMS], total = 0;
	uint32_t pay = 0;
	size_t n = 1, pos = 0;
	enum sr_status st;
	char msg[128];

	hdr[0] = SRA_TAG_BLOCK;
	st = need_uv(r, hdr, &n, sizeof(hdr) - 4, &nev, start, "block header", err);
	if (!st)
		st = need_uv(r, hdr, &n, sizeof(hdr) - 4, &ns, start, "block header", err);
	if (st)
		return st;
	if (ns != SRA_NSTREAMS)
		return corrupt(r, err, start, "bad stream count in block header");
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		st = need_uv(r, hdr, &n, sizeof(hdr) - 4, &raw[i], start, "block header", err);
		if (!st)
			st = need_uv(r, hdr, &n, sizeof(hdr) - 4, &comp[i], start, "block header",
				     err);
		if (st)
			return st;
	}
	if (r->lean) {
		st = need(r, hdr + n, 4, start, "block header", err);
		if (st)
			return st;
		pay = (uint32_t)hdr[n] | (uint32_t)hdr[n + 1] << 8 | (uint32_t)hdr[n + 2] << 16 |
		      (uint32_t)hdr[n + 3] << 24;
		n += 4;
	}
	st = check_crc(r, hdr, n, start, "block header", err);
	if (st)
		return st;
	if (nev == 0)
		return corrupt(r, err, start, "empty block");
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		/* lean: complen 0 with rawlen > 0 is a stream stored as is */
		if (raw[i] > SRA_MAX_STREAM || comp[i] > SRA_MAX_STREAM || (comp[i] && !raw[i]) ||
		    (!r->lean && raw[i] && !comp[i]))
			return corrupt(r, err, start, "bad stream size in block header");
		total += comp[i] ? comp[i] : raw[i];
	}
	/* The header's sizes are a claim: the buffer grows with the bytes that
	 * really arrive (doubling from 1 MiB), so a damaged header that
	 * announces gigabytes fails at the end of the input, not in malloc. */
	for (size_t have = 0; have < total;) {
		size_t step = have < (1u << 20) ? (1u << 20) : have;
		size_t want = total - have < step ? total - have : step;

		if (have + want > r->comp_cap) {
			uint8_t *p = realloc(r->comp, have + want);

			if (!p)
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot read archive: out of memory");
			r->comp = p;
			r->comp_cap = have + want;
		}
		st = need(r, r->comp + have, want, start, "block", err);
		if (st)
			return st;
		have += want;
	}
	if (r->lean) {
		uint32_t got = (uint32_t)crc32(0, r->comp, (uInt)total);
#ifdef SR_FUZZING
		got = pay; /* as check_crc: mutations must reach the decoders */
#endif
		if (got != pay)
			return corrupt(r, err, start, "block payload checksum mismatch (corrupt)");
	}
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		size_t got;

		if (raw[i] > r->st_cap[i]) {
			uint8_t *p = realloc(r->st[i], raw[i]);

			if (!p)
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot read archive: out of memory");
			r->st[i] = p;
			r->st_cap[i] = raw[i];
		}
		if (raw[i] && !comp[i]) {
			memcpy(r->st[i], r->comp + pos, raw[i]); /* stored (lean) */
			pos += raw[i];
		} else if (raw[i]) {
			ZSTD_frameHeader fh;
			const uint8_t *z = r->comp + pos;

			/* one frame, whole, with its checksum and its size: a
			 * damaged frame header cannot pass for another frame */
			if (r->lean ? ZSTD_getFrameHeader_advanced(&fh, z, comp[i],
								   ZSTD_f_zstd1_magicless) != 0 ||
					      fh.checksumFlag || fh.frameContentSize != raw[i]
				    : ZSTD_getFrameHeader(&fh, z, comp[i]) != 0 ||
					      fh.frameType != ZSTD_frame || !fh.checksumFlag ||
					      fh.frameContentSize != raw[i] ||
					      ZSTD_findFrameCompressedSize(z, comp[i]) != comp[i]) {
				snprintf(msg, sizeof(msg), "corrupt stream %d of block %llu (bad frame)",
					 i, (unsigned long long)r->nblock + 1);
				return corrupt(r, err, start, msg);
			}
			ZSTD_DCtx_refDDict(r->dc, r->dict ? r->ddict[i] : NULL);
			got = ZSTD_decompressDCtx(r->dc, r->st[i], raw[i], z, comp[i]);
			if (ZSTD_isError(got) || got != raw[i]) {
				snprintf(msg, sizeof(msg), "corrupt stream %d of block %llu (%s)", i,
					 (unsigned long long)r->nblock + 1,
					 ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size");
				return corrupt(r, err, start, msg);
			}
		}
		/* fuzzing: an empty stream may have no buffer yet, and
		 * NULL + 0 is undefined behaviour (UBSan: pointer-overflow) */
		r->s[i] = raw[i] ? (struct rd){ r->st[i], r->st[i] + raw[i] } : (struct rd){ 0 };
		pos += comp[i];
	}
	r->block_off = start;
	r->left = nev;
	r->nblock++;
	block_reset(r);
	return SR_OK;
}

static enum sr_status read_end(struct sr_reader *r, uint64_t start, struct sr_error *err)
{
	uint8_t hdr[1 + 20];
	uint64_t total, nblocks;
	size_t n = 1;
	enum sr_status st;

	hdr[0] = SRA_TAG_END;
	st = need_uv(r, hdr, &n, sizeof(hdr), &total, start, "end mark", err);
	if (!st)
		st = need_uv(r, hdr, &n, sizeof(hdr), &nblocks, start, "end mark", err);
	if (!st)
		st = check_crc(r, hdr, n, start, "end mark", err);
	if (st)
		return st;
	if (total != r->nevents || nblocks != r->nblock)
		return corrupt(r, err, start, "end mark disagrees with the blocks read (blocks lost)");
	r->ended = true;
	return SR_OK;
}

/* Moves to the next block; SR_END at the end of the input after an end
 * mark (a concatenated archive's magic may follow a mark). */
static enum sr_status next_block(struct sr_reader *r, struct sr_error *err)
{
	for (;;) {
		uint64_t start = r->off;
		uint8_t tag;
		size_t got;
		enum sr_status st = read_full(r, &tag, 1, &got, err);

		if (st)
			return st;
		if (got == 0) {
			if (r->ended)
				return SR_END;
			return corrupt(r, err, start, "truncated archive (no end mark)");
		}
		if (r->ended) {
			uint8_t rest[SRA_MAGIC_LEN - 1];

			/* cat a.sra b.sra: another archive */
			if (tag != (uint8_t)SRA_MAGIC[0])
				return corrupt(r, err, start, "data after the end mark");
			st = need(r, rest, sizeof(rest), start, "archive header", err);
			if (st)
				return st;
			if (memcmp(rest, &SRA_MAGIC[1], sizeof(rest)))
				return corrupt(r, err, start, "data after the end mark");
			st = read_head(r, start, err);
			if (st)
				return st;
			r->ended = false;
			r->nblock = r->nevents = 0;
			continue;
		}
		if (tag == SRA_TAG_BLOCK)
			return load_block(r, start, err);
		if (tag == SRA_TAG_END) {
			st = read_end(r, start, err);
			if (st)
				return st;
			continue;
		}
		return corrupt(r, err, start, "bad block tag (corrupt)");
	}
}

/* ---- decoding streams -------------------------------------------------- */

static inline uint8_t get_u8(struct sr_reader *r, int s)
{
	struct rd *d = &r->s[s];

	if (d->p >= d->end) {
		r->bad = true;
		r->why = "a stream ended early";
		return 0;
	}
	return *d->p++;
}

static inline uint64_t get_uv(struct sr_reader *r, int s)
{
	struct rd *d = &r->s[s];
	uint64_t v = 0;

	for (int sh = 0; sh < 64 && d->p < d->end; sh += 7) {
		uint8_t c = *d->p++;

		v |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80))
			return v;
	}
	r->bad = true;
	r->why = "a stream ended early or holds a bad varint";
	return 0;
}

static inline int64_t get_sv(struct sr_reader *r, int s)
{
	return sra_unzz(get_uv(r, s));
}

static const uint8_t *get_bytes(struct sr_reader *r, int s, uint64_t n)
{
	struct rd *d = &r->s[s];
	const uint8_t *p = d->p;

	if ((uint64_t)(d->end - d->p) < n) {
		r->bad = true;
		r->why = "a length runs past its stream";
		return (const uint8_t *)"";
	}
	d->p += n;
	return p;
}

static void fail(struct sr_reader *r, const char *why)
{
	if (!r->bad) {
		r->bad = true;
		r->why = why;
	}
}

static size_t room(const struct sr_reader *r, int s)
{
	return (size_t)(r->s[s].end - r->s[s].p);
}

/* An ident id from stream s; a new one's bytes from IDDAT.  -1 on error. */
static int64_t get_ident(struct sr_reader *r, int s)
{
	uint64_t id = get_uv(r, s);

	if (r->bad)
		return -1;
	if (id == r->nids) {
		uint64_t n = get_uv(r, SRA_S_IDDAT);
		const uint8_t *p = get_bytes(r, SRA_S_IDDAT, n);

		if (r->bad)
			return -1;
		if (r->nids == r->cap_ids) {
			size_t nc = r->cap_ids ? r->cap_ids * 2 : 1024;
			struct sr_str *a = realloc(r->ids, nc * sizeof(*a));
			const struct sr_atom **b;

			if (a)
				r->ids = a;
			b = a ? realloc(r->atoms, nc * sizeof(*b)) : NULL;
			if (!b) {
				fail(r, "out of memory");
				return -1;
			}
			r->atoms = b;
			r->cap_ids = nc;
		}
		r->ids[r->nids] = (struct sr_str){ (const char *)p, (size_t)n };
		r->atoms[r->nids] = NULL;
		return (int64_t)r->nids++;
	}
	if (id > r->nids) {
		fail(r, "an ident id out of range");
		return -1;
	}
	return (int64_t)id;
}

static struct sr_str ident_str(struct sr_reader *r, int s)
{
	int64_t id = get_ident(r, s);

	return id < 0 ? (struct sr_str){ "", 0 } : r->ids[id];
}

static const struct sr_atom *ident_atom(struct sr_reader *r, struct sr_batch *b, int64_t id)
{
	if (id < 0)
		return NULL;
	if (!r->atoms[id]) {
		r->atoms[id] = sr_intern(b->atoms, r->ids[id].ptr, r->ids[id].len);
		if (!r->atoms[id])
			fail(r, "out of memory");
	}
	return r->atoms[id];
}

static struct sr_str get_string(struct sr_reader *r, int dat, uint32_t ctx)
{
	uint64_t code = get_uv(r, SRA_S_STRREF), id;

	if (r->bad)
		return (struct sr_str){ "", 0 };
	if (code == SRA_REF_HIT) {
		if (!r->sctx[ctx]) {
			fail(r, "a string reference to nothing");
			return (struct sr_str){ "", 0 };
		}
		id = r->sctx[ctx] - 1;
	} else if (code == SRA_REF_NEW) {
		uint64_t n = get_uv(r, SRA_S_STRLEN);
		const uint8_t *p = get_bytes(r, dat, n);

		if (r->bad)
			return (struct sr_str){ "", 0 };
		if (r->nstrs == r->cap_strs) {
			size_t nc = r->cap_strs ? r->cap_strs * 2 : 4096;
			struct sr_str *a = realloc(r->strs, nc * sizeof(*a));

			if (!a) {
				fail(r, "out of memory");
				return (struct sr_str){ "", 0 };
			}
			r->strs = a;
			r->cap_strs = nc;
		}
		id = r->nstrs;
		r->strs[r->nstrs++] = (struct sr_str){ (const char *)p, (size_t)n };
	} else {
		uint64_t back = code - SRA_REF_BACK;

		if (back >= r->nstrs) {
			fail(r, "a string reference out of range");
			return (struct sr_str){ "", 0 };
		}
		id = r->nstrs - 1 - back;
	}
	r->sctx[ctx] = (uint32_t)id + 1;
	return r->strs[id];
}

/* ---- values ------------------------------------------------------------- */

static bool get_value(struct sr_reader *r, struct sr_batch *b, struct sr_value *v, uint32_t nid,
		      uint32_t *pos, int64_t pid, int depth);

static bool get_kids(struct sr_reader *r, struct sr_batch *b, struct sr_value *v, uint64_t n,
		     uint32_t nid, uint32_t *pos, int64_t pid, int depth)
{
	/* every node takes at least a byte of SHAPE: a count beyond that is
	 * damage, not a reason to allocate */
	if (n > room(r, SRA_S_SHAPE) || depth >= SRA_MAX_DEPTH) {
		fail(r, "a bad kid count or nesting");
		return false;
	}
	v->nkids = (uint32_t)n;
	v->kids = NULL;
	if (!n)
		return true;
	v->kids = sr_arena_alloc(b->arena, n * sizeof(*v->kids));
	if (!v->kids) {
		fail(r, "out of memory");
		return false;
	}
	for (uint64_t i = 0; i < n; i++)
		if (!get_value(r, b, &v->kids[i], nid, pos, pid, depth + 1))
			return false;
	return true;
}

static bool get_int(struct sr_reader *r, struct sr_batch *b, struct sr_value *v, uint8_t node,
		    uint32_t nid, uint32_t p)
{
	unsigned aux = node >> 6, mode = SRA_TXT_CANON;
	uint32_t ctx;
	bool hex;

	v->base = aux == SRA_INT_HEX ? SR_BASE_HEX : aux == SRA_INT_OCT ? SR_BASE_OCT : SR_BASE_DEC;
	v->flags = aux == SRA_INT_HEX || aux == SRA_INT_OCT ? SR_VF_UNSIGNED : 0;
	if (aux == SRA_INT_OTHER)
		v->base = get_u8(r, SRA_S_SHAPE);
	if (node & SRA_N_EXT) {
		uint64_t e = get_uv(r, SRA_S_SHAPE);

		v->flags = (uint16_t)(e >> 2);
		mode = e & 3;
	}
	hex = v->base != SR_BASE_DEC || (v->flags & SR_VF_UNSIGNED);
	ctx = sra_ctx(nid, p, hex ? SRA_CLS_HEX : SRA_CLS_DEC);
	v->num.u = r->ictx[ctx] + (uint64_t)get_sv(r, hex ? SRA_S_HEX : SRA_S_INT);
	r->ictx[ctx] = v->num.u;
	if (mode == SRA_TXT_CANON) {
		char *t = sr_arena_alloc(b->arena, 24);

		if (!t) {
			fail(r, "out of memory");
			return false;
		}
		v->text = (struct sr_str){ t, sr_int_spell(t, v) };
	} else if (mode == SRA_TXT_STORED) {
		v->text = get_string(r, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT));
	} else if (mode != SRA_TXT_EMPTY) {
		fail(r, "a bad int text mode");
	}
	return !r->bad;
}

static uint32_t fd_ctx(const struct sr_value *v, uint32_t nid, uint32_t p, int64_t pid)
{
	const struct sr_value *k = v->nkids ? &v->kids[0] : NULL;

	if (k && k->kind == SR_V_INT && k->base == SR_BASE_DEC && !k->flags)
		return sra_ctx((uint64_t)pid, k->num.u, SRA_CLS_FD);
	return sra_ctx(nid, p, SRA_CLS_TXT);
}

static bool get_value(struct sr_reader *r, struct sr_batch *b, struct sr_value *v, uint32_t nid,
		      uint32_t *pos, int64_t pid, int depth)
{
	uint32_t p = (*pos)++;
	uint8_t node = get_u8(r, SRA_S_SHAPE), kind = node & SRA_N_KIND;

	memset(v, 0, sizeof(*v));
	if (r->bad)
		return false;
	if (node & SRA_N_NAME)
		v->name = ident_str(r, SRA_S_IDENT);
	if (kind == SRA_N_GENERIC) {
		uint64_t nk;

		v->kind = get_u8(r, SRA_S_SHAPE);
		v->base = get_u8(r, SRA_S_SHAPE);
		v->flags = (uint16_t)get_uv(r, SRA_S_SHAPE);
		nk = get_uv(r, SRA_S_SHAPE);
		v->num.u = get_uv(r, SRA_S_HEX);
		v->text = get_string(r, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT));
		return !r->bad && get_kids(r, b, v, nk, nid, pos, pid, depth);
	}
	v->kind = kind;
	if (kind == SR_V_INT)
		return get_int(r, b, v, node, nid, p);
	if (kind > SR_V_INDEX) {
		fail(r, "a bad value kind");
		return false;
	}
	if (node & SRA_N_EXT)
		v->flags = (uint16_t)get_uv(r, SRA_S_SHAPE);
	switch (kind) {
	case SR_V_STR:
		v->text = get_string(r, SRA_S_STRDAT, sra_ctx(nid, p, SRA_CLS_STR));
		break;
	case SR_V_IDENT:
		v->text = ident_str(r, SRA_S_IDENT);
		break;
	case SR_V_NULL:
	case SR_V_ELLIPSIS:
		break;
	case SR_V_FD:
		if (!get_kids(r, b, v, (node & 0x40) ? 1 : 0, nid, pos, pid, depth))
			return false;
		v->text = get_string(r, SRA_S_TXTDAT, fd_ctx(v, nid, p, pid));
		break;
	default: {
		uint64_t nk = get_uv(r, SRA_S_SHAPE);

		if (kind == SR_V_CALL || kind == SR_V_EXPR)
			v->text = ident_str(r, SRA_S_IDENT);
		if (r->bad || !get_kids(r, b, v, nk, nid, pos, pid, depth))
			return false;
		if (kind == SR_V_COMMENT)
			v->text = get_string(r, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT));
		break;
	}
	}
	return !r->bad;
}

/* ---- events --------------------------------------------------------------- */

static void get_raw_time(struct sr_reader *r, int s, struct sr_time *t)
{
	uint64_t ns;

	t->sec = get_sv(r, s);
	ns = get_uv(r, s);
	if (ns > UINT32_MAX)
		fail(r, "a bad time");
	t->nsec = (uint32_t)ns;
}

/* A time of the leader, its form from the descriptor at d. */
static void get_lead_time(struct sr_reader *r, const uint8_t *d, struct sr_time *t, bool delta)
{
	uint64_t u;

	memset(t, 0, sizeof(*t));
	t->clock = d[0];
	t->digits = d[1];
	t->width = d[2];
	if (d[3] == 0)
		return;
	if (d[3] == 2) {
		get_raw_time(r, SRA_S_TIME, t);
		return;
	}
	if (d[3] != 1 || t->digits > 9) {
		fail(r, "a bad time form");
		return;
	}
	if (delta) {
		u = r->prev_units[t->clock & 3] + (uint64_t)get_sv(r, SRA_S_TIME);
		r->prev_units[t->clock & 3] = u;
	} else {
		u = get_uv(r, SRA_S_TIME);
	}
	sra_time_from_units(t, u);
}

static void get_pid(struct sr_reader *r, int64_t *pid)
{
	uint64_t code = get_uv(r, SRA_S_PID);
	int i;

	if (code < (uint64_t)r->npids) {
		i = (int)code;
		*pid = r->pids[i];
	} else if (code == SRA_PIDS) {
		*pid = r->last_lit_pid + get_sv(r, SRA_S_PID);
		r->last_lit_pid = *pid;
		if (r->npids < SRA_PIDS)
			r->npids++;
		i = r->npids - 1;
	} else {
		fail(r, "a bad pid code");
		return;
	}
	memmove(r->pids + 1, r->pids, (size_t)i * sizeof(r->pids[0]));
	r->pids[0] = *pid;
}

static int32_t *nr_slot(struct sr_reader *r, uint32_t nid)
{
	if (nid >= r->nr_cap) {
		size_t nc = r->nr_cap ? r->nr_cap : 256;
		int32_t *p;

		while (nc <= nid)
			nc *= 2;
		p = realloc(r->nr_pred, nc * sizeof(*p));
		if (!p) {
			fail(r, "out of memory");
			return NULL;
		}
		for (size_t i = r->nr_cap; i < nc; i++)
			p[i] = -1;
		r->nr_pred = p;
		r->nr_cap = nc;
	}
	return &r->nr_pred[nid];
}

static struct sr_summary *get_summary(struct sr_reader *r, struct sr_batch *b)
{
	struct sr_summary *s = sr_arena_alloc(b->arena, sizeof(*s));
	double *d[4];
	uint8_t mask;

	if (!s) {
		fail(r, "out of memory");
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	d[0] = &s->pct;
	d[1] = &s->seconds;
	d[2] = &s->min;
	d[3] = &s->max;
	s->row = get_u8(r, SRA_S_MISC);
	s->ncols = get_u8(r, SRA_S_MISC);
	if (s->ncols > SR_SUM_MAXCOLS)
		fail(r, "a summary of at most 12 columns");
	memcpy(s->col, get_bytes(r, SRA_S_MISC, SR_SUM_MAXCOLS), r->bad ? 0 : SR_SUM_MAXCOLS);
	memcpy(s->width, get_bytes(r, SRA_S_MISC, SR_SUM_MAXCOLS), r->bad ? 0 : SR_SUM_MAXCOLS);
	s->has = (uint16_t)get_uv(r, SRA_S_MISC);
	mask = get_u8(r, SRA_S_MISC);
	s->has_errors = mask & 0x10;
	for (int i = 0; i < 4; i++)
		if (mask & (1 << i))
			memcpy(d[i], get_bytes(r, SRA_S_MISC, sizeof(double)),
			       r->bad ? 0 : sizeof(double));
	s->usecs = get_uv(r, SRA_S_MISC);
	s->calls = get_uv(r, SRA_S_MISC);
	s->errors = get_uv(r, SRA_S_MISC);
	return s;
}

static struct sr_str get_att_part(struct sr_reader *r, const struct sr_attach *a, uint32_t ctx)
{
	uint8_t mode = get_u8(r, SRA_S_MISC);
	uint64_t off, len;

	switch (mode) {
	case 0:
		return (struct sr_str){ "", 0 };
	case 1:
		off = get_uv(r, SRA_S_MISC);
		len = get_uv(r, SRA_S_MISC);
		if (off > a->text.len || len > a->text.len - off) {
			fail(r, "an attachment part outside its text");
			return (struct sr_str){ "", 0 };
		}
		return (struct sr_str){ a->text.ptr + off, (size_t)len };
	case 2:
		return get_string(r, SRA_S_TXTDAT, ctx);
	default:
		fail(r, "a bad attachment part");
		return (struct sr_str){ "", 0 };
	}
}

static void get_attach(struct sr_reader *r, struct sr_attach *a)
{
	uint64_t n;

	memset(a, 0, sizeof(*a));
	a->kind = get_u8(r, SRA_S_MISC);
	a->addr = get_uv(r, SRA_S_MISC);
	a->offset = get_uv(r, SRA_S_MISC);
	a->text = get_string(r, SRA_S_TXTDAT, sra_ctx(a->kind, 0, SRA_CLS_TXT));
	a->module = get_att_part(r, a, sra_ctx(a->kind, 1, SRA_CLS_TXT));
	a->symbol = get_att_part(r, a, sra_ctx(a->kind, 2, SRA_CLS_TXT));
	n = get_uv(r, SRA_S_MISC);
	a->bytes = (struct sr_str){ (const char *)get_bytes(r, SRA_S_MISC, n), r->bad ? 0 : n };
}

static size_t count_nl(struct sr_str s)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len; i++)
		n += s.ptr[i] == '\n';
	return n;
}

static void get_event(struct sr_reader *r, struct sr_batch *b, struct sr_event *ev)
{
	struct sr_leader *l = &ev->lead;
	uint32_t nid = SRA_NO_NAME, pos, pm;
	int32_t *pred = NULL, predicted = -1;
	int64_t id = -1;
	const uint8_t *d;
	uint64_t u;

	ev->kind = get_u8(r, SRA_S_EV);
	ev->flags = (uint16_t)get_uv(r, SRA_S_EV);
	u = get_uv(r, SRA_S_EV);
	if (u & ~(uint64_t)SRA_P__ALL)
		fail(r, "unknown presence bits");
	pm = (uint32_t)u;
	if (pm & SRA_P_NAME) {
		id = get_ident(r, SRA_S_NAME);
		if (id >= 0) {
			nid = (uint32_t)id;
			ev->name = ident_atom(r, b, id);
			pred = nr_slot(r, nid);
			if (pred)
				predicted = *pred;
		}
	}
	if (pm & SRA_P_LEAD) {
		memcpy(r->desc, get_bytes(r, SRA_S_LEAD, SRA_DESC_LEN), r->bad ? 0 : SRA_DESC_LEN);
		r->have_desc = true;
	} else if (!r->have_desc) {
		fail(r, "no leader descriptor");
	}
	if (r->bad)
		return;
	d = r->desc;
	if (pm & SRA_P_PID)
		get_pid(r, &l->pid);
	else
		l->pid = r->prev_pid;
	r->prev_pid = l->pid;
	ev->nr = predicted;
	if (pm & SRA_P_NR)
		ev->nr = (int32_t)(predicted + get_sv(r, SRA_S_MISC));
	if (pred)
		*pred = ev->nr;
	ev->line = r->prev_line + 1;
	if (pm & SRA_P_LINE)
		ev->line += (uint64_t)get_sv(r, SRA_S_MISC);
	r->prev_line = ev->line;

	l->pid_form = d[SRA_D_PIDFORM];
	l->has_nr = d[SRA_D_BITS] & SRA_LB_NR;
	l->has_ip = d[SRA_D_BITS] & SRA_LB_IP;
	l->nr_unknown = d[SRA_D_BITS] & SRA_LB_NR_UNKNOWN;
	l->ip_unknown = d[SRA_D_BITS] & SRA_LB_IP_UNKNOWN;
	l->ip_digits = d[SRA_D_IPDIGITS] & (uint8_t)~SRA_IPD_SPACED;
	l->ip_spaced = d[SRA_D_IPDIGITS] & SRA_IPD_SPACED;
	l->nr_width = d[SRA_D_NRWIDTH];
	get_lead_time(r, d + SRA_D_TIME, &l->time, true);
	get_lead_time(r, d + SRA_D_REL, &l->rel, false);
	if (d[SRA_D_BITS] & SRA_LB_NRVAL)
		l->nr = (int32_t)(ev->nr + get_sv(r, SRA_S_MISC));
	if (d[SRA_D_BITS] & SRA_LB_IPVAL) {
		l->ip = r->prev_ip + (uint64_t)get_sv(r, SRA_S_HEX);
		r->prev_ip = l->ip;
	}
	if (d[SRA_D_BITS] & SRA_LB_COMM)
		l->comm = ident_str(r, SRA_S_IDENT);
	if (d[SRA_D_BITS] & SRA_LB_SECONTEXT)
		l->secontext = ident_str(r, SRA_S_IDENT);
	if (d[SRA_D_DUR + 3]) {
		struct sr_time *t = &ev->duration;

		t->clock = d[SRA_D_DUR];
		t->digits = d[SRA_D_DUR + 1];
		t->width = d[SRA_D_DUR + 2];
		if (d[SRA_D_DUR + 3] == 2)
			get_raw_time(r, SRA_S_DUR, t);
		else if (d[SRA_D_DUR + 3] == 1 && t->digits <= 9)
			sra_time_from_units(t, get_uv(r, SRA_S_DUR));
		else
			fail(r, "a bad duration form");
	} else {
		ev->duration.clock = d[SRA_D_DUR];
		ev->duration.digits = d[SRA_D_DUR + 1];
		ev->duration.width = d[SRA_D_DUR + 2];
	}
	if (pm & SRA_P_START) {
		struct sr_time *s = &ev->start;
		uint64_t tu;

		s->clock = get_u8(r, SRA_S_MISC);
		s->digits = get_u8(r, SRA_S_MISC);
		s->width = get_u8(r, SRA_S_MISC);
		if (get_u8(r, SRA_S_MISC) == 0) {
			if (s->digits > 9 || !sra_time_units(&l->time, &tu)) {
				fail(r, "a bad start time");
			} else {
				sra_time_from_units(s, tu - (uint64_t)get_sv(r, SRA_S_TIME));
			}
		} else {
			get_raw_time(r, SRA_S_MISC, s);
		}
	}
	if (pm & SRA_P_ARGS) {
		uint64_t n = get_uv(r, SRA_S_SHAPE);

		if (r->bad || n > room(r, SRA_S_SHAPE)) {
			fail(r, "a bad argument count");
			return;
		}
		ev->args = sr_arena_alloc(b->arena, n * sizeof(*ev->args));
		if (!ev->args) {
			fail(r, "out of memory");
			return;
		}
		ev->nargs = (uint32_t)n;
		pos = 0;
		for (uint64_t i = 0; i < n; i++)
			if (!get_value(r, b, &ev->args[i], nid, &pos, l->pid, 0))
				return;
	}
	ev->has_ret = pm & SRA_P_HASRET;
	if (pm & SRA_P_RET) {
		ev->ret = sr_arena_alloc(b->arena, sizeof(*ev->ret));
		if (!ev->ret) {
			fail(r, "out of memory");
			return;
		}
		pos = SRA_POS_RET;
		if (!get_value(r, b, ev->ret, nid, &pos, l->pid, 0))
			return;
	}
	if (pm & SRA_P_ERR)
		ev->err = ident_atom(r, b, get_ident(r, SRA_S_IDENT));
	if (pm & SRA_P_ERRMSG)
		ev->errmsg = ident_str(r, SRA_S_IDENT);
	if (pm & SRA_P_UNAVAIL)
		ev->unavail = ident_str(r, SRA_S_IDENT);
	if (pm & SRA_P_NOTES) {
		uint64_t n = get_uv(r, SRA_S_MISC);

		if (r->bad || n > room(r, SRA_S_IDENT)) {
			fail(r, "a bad note count");
			return;
		}
		ev->notes = sr_arena_alloc(b->arena, n * sizeof(*ev->notes));
		if (!ev->notes) {
			fail(r, "out of memory");
			return;
		}
		ev->nnotes = (uint32_t)n;
		for (uint64_t i = 0; i < n; i++)
			ev->notes[i] = ident_str(r, SRA_S_IDENT);
	}
	if (pm & SRA_P_CODE)
		ev->code = get_sv(r, SRA_S_MISC);
	if (pm & SRA_P_TEXT)
		ev->text = get_string(r, SRA_S_TXTDAT, sra_ctx(ev->kind, 0, SRA_CLS_EV));
	if (pm & SRA_P_SUM)
		ev->sum = get_summary(r, b);
	if (pm & SRA_P_ATT) {
		uint64_t n = get_uv(r, SRA_S_MISC);

		if (r->bad || n > room(r, SRA_S_MISC) / 6) {
			fail(r, "a bad attachment count");
			return;
		}
		ev->att = sr_arena_alloc(b->arena, n * sizeof(*ev->att));
		if (!ev->att) {
			fail(r, "out of memory");
			return;
		}
		ev->natt = (uint32_t)n;
		for (uint64_t i = 0; i < n; i++)
			get_attach(r, &ev->att[i]);
	}
	if (pm & SRA_P_SPLIT)
		ev->split = (uint32_t)get_uv(r, SRA_S_MISC);
	if (pm & SRA_P_PAD)
		ev->pad = (uint16_t)get_uv(r, SRA_S_MISC);
	if (pm & SRA_P_PADCOL)
		ev->padcol = (uint16_t)get_uv(r, SRA_S_MISC);
	else if (!r->bad)
		ev->padcol = sra_padcol(&r->scratch, ev);
	/* the lines the event stood for, as the text reader counts them */
	b->lines += 1 + ev->natt;
	for (uint32_t i = 0; i < ev->natt; i++)
		if (ev->att[i].kind == SR_A_OUTPUT) /* as sr_counts_add counts them */
			b->lines += (uint64_t)count_nl(ev->att[i].text) - 1;
}

/* ---- the reader class --------------------------------------------------- */

static void archive_close(struct sr_reader *r)
{
	if (!r)
		return;
	ZSTD_freeDCtx(r->dc);
	for (int i = 0; i < SRA_NSTREAMS; i++)
		ZSTD_freeDDict(r->ddict[i]);
	sr_buf_free(&r->scratch);
	free(r->comp);
	for (int i = 0; i < SRA_NSTREAMS; i++)
		free(r->st[i]);
	free(r->ids);
	free(r->atoms);
	free(r->strs);
	free(r->sctx);
	free(r->ictx);
	free(r->nr_pred);
	free(r);
}

static enum sr_status archive_open(struct sr_reader **out, struct sr_source *in,
				   const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));

	(void)opts;
	*out = NULL;
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	r->in = in;
	r->dc = ZSTD_createDCtx();
#ifdef SR_FUZZING
	if (r->dc)
		ZSTD_DCtx_setParameter(r->dc, ZSTD_d_forceIgnoreChecksum, ZSTD_d_ignoreChecksum);
#endif
	r->sctx = calloc(SRA_CTX_SIZE, sizeof(*r->sctx));
	r->ictx = calloc(SRA_CTX_SIZE, sizeof(*r->ictx));
	if (!r->dc || !r->sctx || !r->ictx) {
		archive_close(r);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	}
	*out = r;
	return SR_OK;
}

static enum sr_status archive_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	enum sr_status st;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	if (!r->started) {
		st = read_magic(r, err);
		if (st)
			return st;
	}
	while (b->n < BATCH_EVENTS) {
		struct sr_event *ev;

		if (!r->left) {
			/* a batch ends with its block: loading the next one
			 * overwrites the streams its strings point into */
			if (b->n)
				break;
			/* a block decoded to its end must have used all of it */
			if (r->nblock && !r->ended) {
				for (int i = 0; i < SRA_NSTREAMS; i++)
					if (r->s[i].p != r->s[i].end)
						return corrupt(r, err, r->block_off,
							       "bytes left over in a block (corrupt)");
			}
			st = next_block(r, err);
			if (st == SR_END)
				return b->n ? SR_OK : SR_END;
			if (st)
				return st;
			if (!r->left)
				continue;
		}
		ev = sr_batch_push(b);
		if (!ev)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read archive: out of memory");
		get_event(r, b, ev);
		if (r->bad) {
			char msg[160];

			b->n--; /* the caller keeps the whole events before it */
			if (r->why && !strcmp(r->why, "out of memory"))
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot read archive: out of memory");
			snprintf(msg, sizeof(msg), "corrupt block %llu (event %llu: %s)",
				 (unsigned long long)r->nblock,
				 (unsigned long long)(r->nevents + 1), r->why ? r->why : "?");
			return corrupt(r, err, r->block_off, msg);
		}
		r->left--;
		r->nevents++;
	}
	return SR_OK;
}

static int archive_probe(const void *head, size_t n)
{
	/* a whole input shorter than the magic: an archive cut short, which
	 * the reader then reports, rather than text */
	if (n < SRA_MAGIC_LEN)
		return n >= 4 && !memcmp(head, SRA_MAGIC, n) ? 100 : 0;
	return !memcmp(head, SRA_MAGIC, SRA_MAGIC_LEN) ? 100 : 0;
}

const struct sr_reader_class sr_in_archive = {
	.name = "archive",
	.exts = ".sra",
	.summary = "the compact lossless archive of -t archive (docs/archive.md)",
	.probe = archive_probe,
	.open = archive_open,
	.next = archive_next,
	.close = archive_close,
};
