/*
 * strace_pend.c - the strace reader's table of cut calls, hashed by pid and
 * by origin (see strace_pend.h).
 *
 * Two open-addressing indexes over one slot array, linear probing, deletion
 * by backward shift (no tombstones, so a long run of cuts and resumptions
 * never degrades the probes).  The indexes are kept at most half full.
 */
#include <stdlib.h>
#include <string.h>

#include "strace_pend.h"

static size_t mix(uint64_t k)
{
	/* a 64-bit finalizer: pids and origins are small and dense */
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

static uint64_t key_pid(const struct sr_pending *p) { return (uint64_t)p->pid; }
static uint64_t key_origin(const struct sr_pending *p) { return p->origin; }

static struct sr_pending *lookup(const struct sr_pend_table *t, const uint32_t *h,
				 uint64_t (*key)(const struct sr_pending *), uint64_t k)
{
	size_t i;

	if (!t->hmask)
		return NULL;
	for (i = mix(k) & t->hmask; h[i]; i = (i + 1) & t->hmask)
		if (key(&t->slot[h[i] - 1]) == k)
			return &t->slot[h[i] - 1];
	return NULL;
}

static void hput(const struct sr_pend_table *t, uint32_t *h,
		 uint64_t (*key)(const struct sr_pending *), uint32_t idx)
{
	size_t i = mix(key(&t->slot[idx])) & t->hmask;

	while (h[i])
		i = (i + 1) & t->hmask;
	h[i] = idx + 1;
}

/* Removes slot idx from h, whose key is still what it was when put. */
static void hdel(const struct sr_pend_table *t, uint32_t *h,
		 uint64_t (*key)(const struct sr_pending *), uint32_t idx)
{
	size_t i = mix(key(&t->slot[idx])) & t->hmask, j, home;

	while (h[i] != idx + 1)
		i = (i + 1) & t->hmask;
	/* backward shift: pull later members of the run into the hole when
	 * their home is not between the hole and where they sit */
	for (j = (i + 1) & t->hmask; h[j]; j = (j + 1) & t->hmask) {
		home = mix(key(&t->slot[h[j] - 1])) & t->hmask;
		if (((j - home) & t->hmask) >= ((j - i) & t->hmask)) {
			h[i] = h[j];
			i = j;
		}
	}
	h[i] = 0;
}

static bool rehash(struct sr_pend_table *t, size_t size)
{
	uint32_t *bp = calloc(size, sizeof(*bp)), *bo = calloc(size, sizeof(*bo));

	if (!bp || !bo) {
		free(bp);
		free(bo);
		return false;
	}
	free(t->by_pid);
	free(t->by_origin);
	t->by_pid = bp;
	t->by_origin = bo;
	t->hmask = size - 1;
	for (size_t i = 0; i < t->nslot; i++) {
		if (!t->slot[i].used)
			continue;
		hput(t, bp, key_pid, (uint32_t)i);
		hput(t, bo, key_origin, (uint32_t)i);
	}
	return true;
}

struct sr_pending *sr_pend_find(const struct sr_pend_table *t, int64_t pid)
{
	return lookup(t, t->by_pid, key_pid, (uint64_t)pid);
}

struct sr_pending *sr_pend_origin(const struct sr_pend_table *t, uint64_t origin)
{
	return lookup(t, t->by_origin, key_origin, origin);
}

struct sr_pending *sr_pend_match(const struct sr_pend_table *t, int64_t pid,
				 const struct sr_atom *name)
{
	struct sr_pending *p = sr_pend_find(t, pid), *hit = NULL;

	if (p)
		return p;
	/* the scan below only runs where a prefix appears or disappears: with
	 * a pid, only bare cuts qualify, and there are none in -f traces */
	if (pid != -1 && !t->nbare)
		return NULL;
	for (size_t i = 0; i < t->nslot; i++) {
		struct sr_pending *q = &t->slot[i];

		if (!q->used || q->name != name || (q->pid != -1 && pid != -1))
			continue;
		if (hit)
			return NULL; /* ambiguous: leave it an orphan */
		hit = q;
	}
	return hit;
}

struct sr_pending *sr_pend_add(struct sr_pend_table *t, int64_t pid, uint64_t origin)
{
	struct sr_pending *p = sr_pend_find(t, pid);
	uint32_t idx;

	if (p)
		return p;
	if (2 * (t->nlive + 1) > t->hmask &&
	    !rehash(t, t->hmask ? 2 * (t->hmask + 1) : 64))
		return NULL;
	if (t->nfree) {
		idx = t->free[--t->nfree];
	} else {
		if (t->nslot == t->capslot) {
			size_t nc = t->capslot ? t->capslot * 2 : 16;
			struct sr_pending *n = realloc(t->slot, nc * sizeof(*n));
			uint32_t *f = realloc(t->free, nc * sizeof(*f));

			if (f)
				t->free = f;
			if (!n || !f) {
				if (n)
					t->slot = n;
				return NULL;
			}
			memset(n + t->capslot, 0, (nc - t->capslot) * sizeof(*n));
			t->slot = n;
			t->capslot = nc;
		}
		idx = (uint32_t)t->nslot++;
	}
	p = &t->slot[idx];
	p->used = true;
	p->pid = pid;
	p->origin = origin;
	hput(t, t->by_pid, key_pid, idx);
	hput(t, t->by_origin, key_origin, idx);
	t->nlive++;
	t->nbare += pid == -1;
	return p;
}

void sr_pend_drop(struct sr_pend_table *t, struct sr_pending *p)
{
	uint32_t idx = (uint32_t)(p - t->slot);

	if (!p->used)
		return;
	hdel(t, t->by_pid, key_pid, idx);
	hdel(t, t->by_origin, key_origin, idx);
	p->used = false;
	t->nlive--;
	t->nbare -= p->pid == -1;
	t->free[t->nfree++] = idx;
}

void sr_pend_repid(struct sr_pend_table *t, struct sr_pending *p, int64_t pid)
{
	uint32_t idx = (uint32_t)(p - t->slot);

	hdel(t, t->by_pid, key_pid, idx);
	t->nbare -= p->pid == -1;
	p->pid = pid;
	t->nbare += pid == -1;
	hput(t, t->by_pid, key_pid, idx);
}

void sr_pend_set_origin(struct sr_pend_table *t, struct sr_pending *p, uint64_t origin)
{
	uint32_t idx = (uint32_t)(p - t->slot);

	hdel(t, t->by_origin, key_origin, idx);
	p->origin = origin;
	hput(t, t->by_origin, key_origin, idx);
}

void sr_pend_clear(struct sr_pend_table *t)
{
	if (!t->nlive)
		return;
	for (size_t i = 0; i < t->nslot; i++)
		t->slot[i].used = false;
	/* every slot is free again, in index order for the next adds */
	for (size_t i = 0; i < t->nslot; i++)
		t->free[i] = (uint32_t)(t->nslot - 1 - i);
	t->nfree = t->nslot;
	memset(t->by_pid, 0, (t->hmask + 1) * sizeof(*t->by_pid));
	memset(t->by_origin, 0, (t->hmask + 1) * sizeof(*t->by_origin));
	t->nlive = t->nbare = 0;
}

void sr_pend_free(struct sr_pend_table *t)
{
	for (size_t i = 0; i < t->nslot; i++)
		free(t->slot[i].text);
	free(t->slot);
	free(t->free);
	free(t->by_pid);
	free(t->by_origin);
	memset(t, 0, sizeof(*t));
}

bool sr_pend_set_text(struct sr_pending *p, const char *s, size_t n)
{
	if (p->cap < n) {
		char *x = realloc(p->text, n);

		if (!x)
			return false;
		p->text = x;
		p->cap = n;
	}
	memcpy(p->text, s, n);
	p->len = n;
	p->nhead = 0;
	return true;
}
