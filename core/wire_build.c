/*
 * wire_build.c - what the pb and msgpack readers share (wire_walk.h): the
 * reader's life cycle and input buffer, the header's checks, and the
 * builder that turns decoded items back into events and value trees in
 * the batch's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "wire_walk.h"

#define READ_CHUNK (1u << 20)

/* The reader object of every wire format. */
struct sr_reader {
	struct sr_wire_in in;
};

enum sr_status sr_wire_reader_open(struct sr_reader **rp, struct sr_source *in, const char *name,
				   struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));

	*rp = NULL;
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open %s input: out of memory", name);
	r->in.name = name;
	r->in.in = in;
	*rp = r;
	return SR_OK;
}

void sr_wire_reader_close(struct sr_reader *r)
{
	if (!r)
		return;
	sr_rst_free(&r->in.strs);
	free(r->in.buf);
	free(r);
}

enum sr_status sr_wire_fill(struct sr_wire_in *r, size_t need, struct sr_error *err)
{
	size_t got;
	enum sr_status st;

	if (r->len - r->pos >= need || r->eof)
		return SR_OK;
	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->off += r->pos;
		r->pos = 0;
	}
	if (need > r->cap) {
		size_t nc = r->cap ? r->cap : READ_CHUNK;
		unsigned char *n;

		while (nc < need)
			nc *= 2;
		n = realloc(r->buf, nc);
		if (!n)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read %s input: out of memory",
					    r->name);
		r->buf = n;
		r->cap = nc;
	}
	while (r->len < need && !r->eof) {
		st = sr_source_read(r->in, r->buf + r->len, r->cap - r->len, &got, err);
		if (st < 0)
			return st;
		if (!got)
			r->eof = true;
		r->len += got;
	}
	return SR_OK;
}

enum sr_status sr_wire_build_schema(struct sr_wire_in *r, uint64_t version,
				    struct sr_error *err)
{
	if (version <= SR_WIRE_SCHEMA)
		return SR_OK;
	sr_error_set(err, SR_ERR_UNSUPPORTED,
		     "cannot read %s input: schema version %llu is newer than this sysrep's (%u)",
		     r->name, (unsigned long long)version, SR_WIRE_SCHEMA);
	sr_error_file(err, sr_source_name(r->in));
	return SR_ERR_UNSUPPORTED;
}

enum sr_status sr_wire_build_arch(struct sr_wire_in *r, bool from_arch, const char *arch,
				  struct sr_error *err)
{
	r->arch = from_arch ? sr_arch_parse(arch) : SR_ARCH_UNKNOWN;
	if (!from_arch || r->arch != SR_ARCH_UNKNOWN)
		return SR_OK;
	sr_error_set(err, SR_ERR_UNSUPPORTED,
		     "cannot read %s input: numbers from the table of an unknown architecture '%s'",
		     r->name, arch);
	sr_error_file(err, sr_source_name(r->in));
	return SR_ERR_UNSUPPORTED;
}

/* ------------------------------------------------------------------ */
/* The builder                                                         */

static inline bool fail(struct sr_wire_in *r, const char *why)
{
	r->why = why;
	return false;
}

bool sr_wire_build_entry(struct sr_wire_in *r, const void *s, size_t n)
{
	return sr_rst_add(&r->strs, s, n) ||
	       fail(r, "a string table below 16M entries (or out of memory)");
}

bool sr_wire_build_ref(struct sr_wire_in *r, uint64_t ref, struct sr_str *out)
{
	return sr_rst_get(&r->strs, ref, out) ||
	       fail(r, "a string reference to a defined table entry");
}

bool sr_wire_build_atom(struct sr_wire_in *r, uint64_t ref, const struct sr_atom **out)
{
	bool nomem = false;

	*out = sr_rst_atom(&r->strs, r->b->atoms, ref, &nomem);
	return *out || fail(r, nomem ? SR_WIRE_NOMEM : "a string reference to a defined table entry");
}

bool sr_wire_build_intern(struct sr_wire_in *r, struct sr_str s, const struct sr_atom **out)
{
	*out = sr_intern(r->b->atoms, s.ptr, s.len);
	return *out || fail(r, SR_WIRE_NOMEM);
}

void *sr_wire_build_alloc(struct sr_wire_in *r, size_t n, size_t size)
{
	void *p = n <= SIZE_MAX / size ? sr_arena_alloc(r->b->arena, n * size) : NULL;

	if (!p)
		return fail(r, SR_WIRE_NOMEM), NULL;
	memset(p, 0, n * size);
	return p;
}

bool sr_wire_build_value(struct sr_wire_in *r, struct sr_value *v, int depth)
{
	memset(v, 0, sizeof(*v));
	return depth <= SR_WIRE_MAX_DEPTH || fail(r, "values nested at most 200 deep");
}

bool sr_wire_build_kids(struct sr_wire_in *r, struct sr_value *v, uint64_t n)
{
	if (n > UINT32_MAX)
		return fail(r, "fewer values");
	v->nkids = (uint32_t)n;
	if (!n)
		return true;
	v->kids = sr_wire_build_alloc(r, n, sizeof(*v->kids));
	return v->kids != NULL;
}

bool sr_wire_build_spell(struct sr_wire_in *r, struct sr_value *v)
{
	return sr_int_respell(r->b->arena, v) || fail(r, SR_WIRE_NOMEM);
}

bool sr_wire_build_flags(struct sr_wire_in *r, uint64_t ref, struct sr_value *v)
{
	struct sr_str s;

	v->kind = SR_V_FLAGS;
	if (!sr_wire_build_ref(r, ref, &s))
		return false;
	return sr_wire_split_flags(r->b->arena, s, v) || fail(r, SR_WIRE_NOMEM);
}

void sr_wire_build_event(struct sr_wire_in *r, struct sr_event *ev)
{
	ev->kind = SR_E_SYSCALL;
	ev->lead.pid_form = r->hdr.pid_form;
}

void sr_wire_build_done(struct sr_wire_in *r, struct sr_event *ev, bool has_line, bool has_nr)
{
	if (!has_line)
		ev->line = r->next_line;
	r->next_line = ev->line + 1 + ev->natt;
	/* a number the writer left out is the table's (Header.numbers_from_arch) */
	if (!has_nr && r->arch != SR_ARCH_UNKNOWN && ev->name &&
	    (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED))
		ev->nr = sr_wire_table_nr(r->memo, r->arch, ev->name);
	/* sr_event_lines: OUTPUT attachments hold several lines (found by
	 * fuzzing: stats lost count of them) */
	r->b->lines += sr_event_lines(ev);
}
