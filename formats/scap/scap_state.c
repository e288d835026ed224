/*
 * scap_state.c - the scap reader's state that outlives a batch: the thread
 * and fd tables (open addressing with tombstones), and its parse error.
 * Used by in_scap.c (input, blocks, pairing) and scap_emit.c (one event
 * record into the event model); it calls neither.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap_internal.h"

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static size_t khash(int64_t a, int64_t b, size_t cap)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Fu;

	return (size_t)(h ^ h >> 29) & (cap - 1);
}

struct slot *sr_scap_kfind(const struct kmap *m, int64_t a, int64_t b)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = khash(a, b, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->s[i];

		if (s->state == 0)
			return NULL;
		if (s->state == 1 && s->a == a && s->b == b)
			return s;
	}
}

struct slot *sr_scap_kput(struct kmap *m, int64_t a, int64_t b)
{
	struct slot *s = sr_scap_kfind(m, a, b);
	size_t i;

	if (s)
		return s;
	if ((m->used + m->tomb + 1) * 4 > m->cap * 3) {
		struct kmap n = { .cap = m->cap ? m->cap * (m->used * 2 > m->cap ? 2 : 1) : 64 };

		n.s = calloc(n.cap, sizeof(*n.s));
		if (!n.s)
			return NULL;
		for (i = 0; i < m->cap; i++) {
			struct slot *o = &m->s[i], *t;

			if (o->state != 1)
				continue;
			for (t = &n.s[khash(o->a, o->b, n.cap)]; t->state;)
				t = &n.s[(size_t)(t - n.s + 1) & (n.cap - 1)];
			*t = *o;
			n.used++;
		}
		free(m->s);
		*m = n;
	}
	for (i = khash(a, b, m->cap); m->s[i].state == 1; i = (i + 1) & (m->cap - 1))
		;
	s = &m->s[i];
	if (s->state == 2)
		m->tomb--;
	*s = (struct slot){ .a = a, .b = b, .state = 1 };
	m->used++;
	return s;
}

void sr_scap_kdel(struct kmap *m, int64_t a, int64_t b)
{
	struct slot *s = sr_scap_kfind(m, a, b);

	if (s) {
		s->state = 2;
		m->used--;
		m->tomb++;
	}
}

int64_t sr_scap_tgid_of(const struct sr_reader *r, int64_t tid)
{
	const struct slot *s = sr_scap_kfind(&r->thr, tid, 0);

	return s && s->x > 0 ? s->x : tid;
}

bool sr_scap_set_thread(struct sr_reader *r, struct sr_batch *b, int64_t tid, int64_t pid,
		       const uint8_t *comm, size_t n)
{
	struct slot *s = sr_scap_kput(&r->thr, tid, 0);

	if (!s)
		return false;
	if (pid > 0)
		s->x = pid;
	if (comm) {
		const uint8_t *z = memchr(comm, '\0', n);

		s->atom = sr_intern(b->atoms, (const char *)comm, z ? (size_t)(z - comm) : n);
		if (!s->atom)
			return false;
	}
	return true;
}

bool sr_scap_set_fd(struct sr_reader *r, struct sr_batch *b, int64_t pid, int64_t fd,
		   const char *path, size_t n)
{
	struct slot *s;

	if (n == 0) {
		sr_scap_kdel(&r->fds, pid, fd);
		return true;
	}
	s = sr_scap_kput(&r->fds, pid, fd);
	if (!s)
		return false;
	s->atom = sr_intern(b->atoms, path, n);
	return s->atom != NULL;
}

/* ------------------------------------------------------------------ */
/* Errors and input                                                    */

enum sr_status sr_scap_bad(struct sr_error *err, uint64_t off, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sr_error_set(err, SR_ERR_PARSE, "cannot read scap capture: at byte %llu: expected %s",
			    (unsigned long long)off, what);
}
