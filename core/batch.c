/*
 * batch.c - the event batch, run counters and enum names.
 */
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

#define BATCH_MIN_EVENTS 256

enum sr_status sr_batch_init(struct sr_batch *b, struct sr_intern *atoms)
{
	memset(b, 0, sizeof(*b));
	b->arena = sr_arena_new(0);
	if (!b->arena)
		return SR_ERR_NOMEM;
	b->atoms = atoms;
	return SR_OK;
}

void sr_batch_reset(struct sr_batch *b)
{
	/* The event array is kept: batches are refilled to about the same size. */
	b->n = 0;
	b->lines = 0;
	if (b->arena)
		sr_arena_reset(b->arena);
}

void sr_batch_free(struct sr_batch *b)
{
	free(b->ev);
	sr_arena_free(b->arena);
	memset(b, 0, sizeof(*b));
}

struct sr_event *sr_batch_push(struct sr_batch *b)
{
	struct sr_event *e;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : BATCH_MIN_EVENTS;
		struct sr_event *ev;

		if (cap > SIZE_MAX / sizeof(*ev))
			return NULL;
		ev = realloc(b->ev, cap * sizeof(*ev));
		if (!ev)
			return NULL;
		b->ev = ev;
		b->cap = cap;
	}
	e = &b->ev[b->n++];
	memset(e, 0, sizeof(*e));
	e->lead.pid = -1;
	e->nr = -1;
	return e;
}

static size_t count_newlines(struct sr_str s)
{
	size_t n = 0;
	const char *p, *end;

	/* an empty piece may have no pointer at all: NULL + 0 is undefined */
	if (!s.len)
		return 0;
	p = s.ptr;
	end = s.ptr + s.len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

uint64_t sr_event_lines(const struct sr_event *ev)
{
	uint64_t n = 1 + (uint64_t)ev->natt;

	for (uint32_t k = 0; ev->att && k < ev->natt; k++)
		if (ev->att[k].kind == SR_A_OUTPUT) /* lines, not pieces */
			n += (uint64_t)count_newlines(ev->att[k].text) - 1;
	return n;
}

void sr_counts_add(struct sr_counts *c, const struct sr_batch *b)
{
	size_t i;

	c->lines += b->lines;
	for (i = 0; i < b->n; i++) {
		const struct sr_event *e = &b->ev[i];

		if (e->kind < SR_E__COUNT)
			c->by_kind[e->kind]++;
		if (e->kind == SR_E_UNPARSED)
			c->unparsed++;
		else
			c->events++;
		if (e->flags & SR_EF_VERBATIM)
			c->verbatim++;
		c->attached += e->natt;
		for (uint32_t k = 0; e->att && k < e->natt; k++)
			if (e->att[k].kind == SR_A_OUTPUT) /* lines, not pieces */
				c->attached += (uint64_t)count_newlines(e->att[k].text) - 1;
	}
}

static const char *const ekind_names[SR_E__COUNT] = {
	[SR_E_SYSCALL] = "syscall",
	[SR_E_UNFINISHED] = "unfinished",
	[SR_E_SIGNAL] = "signal",
	[SR_E_EXIT] = "exit",
	[SR_E_KILLED] = "killed",
	[SR_E_SUPERSEDED] = "superseded",
	[SR_E_MESSAGE] = "message",
	[SR_E_SUMMARY] = "summary",
	[SR_E_UNPARSED] = "unparsed",
};

static const char *const vkind_names[] = {
	[SR_V_INT] = "int",
	[SR_V_STR] = "str",
	[SR_V_NULL] = "null",
	[SR_V_IDENT] = "ident",
	[SR_V_FLAGS] = "flags",
	[SR_V_STRUCT] = "struct",
	[SR_V_ARRAY] = "array",
	[SR_V_SET] = "set",
	[SR_V_FD] = "fd",
	[SR_V_CALL] = "call",
	[SR_V_CHANGED] = "changed",
	[SR_V_COMMENT] = "comment",
	[SR_V_ELLIPSIS] = "ellipsis",
	[SR_V_EXPR] = "expr",
	[SR_V_INDEX] = "index",
};

/* Writers print these names, so an out-of-range kind must still give a string. */
const char *sr_ekind_name(enum sr_ekind k)
{
	if ((unsigned)k < SR_E__COUNT && ekind_names[k])
		return ekind_names[k];
	return "unknown";
}

const char *sr_vkind_name(enum sr_vkind k)
{
	if ((unsigned)k < sizeof(vkind_names) / sizeof(vkind_names[0]) && vkind_names[k])
		return vkind_names[k];
	return "unknown";
}
