/*
 * arena.c - the bump allocator behind every batch.
 *
 * A reader allocates many small values per line and drops them all at
 * once when the batch is reset, so allocation is a pointer bump in the
 * current chunk and freeing is per arena.  A request bigger than a
 * quarter of the chunk size gets a chunk of its own: carving it from a
 * fresh standard chunk would waste most of the chunk it abandons.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

#define ARENA_ALIGN 8
#define ARENA_DEFAULT_CHUNK (64 * 1024)
#define ARENA_MIN_CHUNK 256

struct chunk {
	struct chunk *next;
	size_t size; /* bytes in data[] */
	size_t used;
	/* data[] starts 8-byte aligned: the header is three 8-byte words on
	 * LP64 and the alignment below covers the rest */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct sr_arena {
	struct chunk *head; /* owned: allocations bump here; list of all chunks */
	size_t chunk_size;
	size_t used; /* bytes handed out since the last reset */
};

static struct chunk *chunk_new(size_t size)
{
	struct chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct sr_arena *sr_arena_new(size_t chunk_size)
{
	struct sr_arena *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	if (chunk_size == 0)
		chunk_size = ARENA_DEFAULT_CHUNK;
	if (chunk_size < ARENA_MIN_CHUNK)
		chunk_size = ARENA_MIN_CHUNK;
	a->chunk_size = chunk_size;
	/* The first chunk is made on demand: an unused arena costs nothing. */
	return a;
}

void *sr_arena_alloc(struct sr_arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	/* Zero-byte requests still get a distinct pointer, as with malloc. */
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - (ARENA_ALIGN - 1))
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (c && c->size - c->used >= n) {
		p = c->data + c->used;
		c->used += n;
		a->used += n;
		return p;
	}

	if (n > a->chunk_size / 4) {
		c = chunk_new(n);
		if (!c)
			return NULL;
		c->used = n;
		/* Behind the head, so the head keeps serving small requests. */
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
		}
		a->used += n;
		return c->data;
	}

	c = chunk_new(a->chunk_size);
	if (!c)
		return NULL;
	c->next = a->head;
	a->head = c;
	c->used = n;
	a->used += n;
	return c->data;
}

char *sr_arena_memdup(struct sr_arena *a, const void *p, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return NULL;
	d = sr_arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

void sr_arena_reset(struct sr_arena *a)
{
	struct chunk *c, *next, *keep = NULL;

	/*
	 * Keep the largest chunk: a workload that once needed a big
	 * allocation will likely need it again next batch, and one chunk
	 * bounds what an idle arena holds.
	 */
	for (c = a->head; c; c = c->next)
		if (!keep || c->size > keep->size)
			keep = c;
	for (c = a->head; c; c = next) {
		next = c->next;
		if (c != keep)
			free(c);
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used = 0;
}

void sr_arena_free(struct sr_arena *a)
{
	struct chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

size_t sr_arena_used(const struct sr_arena *a)
{
	return a->used;
}
