/*
 * intern.c - one table per run mapping repeated names to atoms.
 *
 * Events point at atoms, so an atom must never move: atoms live in
 * fixed-size blocks that are never reallocated, and their bytes in an
 * arena.  Only the block directory and the hash slots grow.  The hash
 * table is open addressing with linear probing over a power-of-two slot
 * array; each slot caches the full hash so that a probe compares
 * strings only when the hashes match.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

#define BLOCK_SHIFT 8
#define BLOCK_ATOMS (1u << BLOCK_SHIFT) /* atoms per block */
#define MIN_SLOTS 256

struct slot {
	uint32_t hash;
	uint32_t id1; /* atom id + 1; 0 marks an empty slot */
};

struct sr_intern {
	struct slot *slots; /* owned */
	size_t mask;	    /* slot count - 1 */
	size_t count;
	struct sr_atom **blocks; /* owned: directory of blocks of BLOCK_ATOMS atoms */
	size_t nblocks;
	struct sr_arena *bytes; /* owned: the atoms' strings */
};

/* FNV-1a: names are short, and it needs no tail handling. */
static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static bool is_json_plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static struct sr_atom *atom_at(const struct sr_intern *t, uint32_t id)
{
	return &t->blocks[id >> BLOCK_SHIFT][id & (BLOCK_ATOMS - 1)];
}

struct sr_intern *sr_intern_new(void)
{
	struct sr_intern *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->slots = calloc(MIN_SLOTS, sizeof(*t->slots));
	t->bytes = sr_arena_new(0);
	if (!t->slots || !t->bytes) {
		sr_intern_free(t);
		return NULL;
	}
	t->mask = MIN_SLOTS - 1;
	return t;
}

/* Returns the slot holding s, or the empty slot where it would go. */
static struct slot *lookup(const struct sr_intern *t, const char *s, size_t n, uint32_t h)
{
	size_t i = h & t->mask;

	for (;;) {
		struct slot *sl = &t->slots[i];

		if (!sl->id1)
			return sl;
		if (sl->hash == h) {
			const struct sr_atom *a = atom_at(t, sl->id1 - 1);

			if (a->len == n && memcmp(a->str, s, n) == 0)
				return sl;
		}
		i = (i + 1) & t->mask;
	}
}

static int grow_slots(struct sr_intern *t)
{
	size_t nslots = (t->mask + 1) * 2, i;
	struct slot *old = t->slots, *fresh;

	fresh = calloc(nslots, sizeof(*fresh));
	if (!fresh)
		return -1;
	for (i = 0; i <= t->mask; i++) {
		size_t j;

		if (!old[i].id1)
			continue;
		j = old[i].hash & (nslots - 1);
		while (fresh[j].id1)
			j = (j + 1) & (nslots - 1);
		fresh[j] = old[i];
	}
	free(old);
	t->slots = fresh;
	t->mask = nslots - 1;
	return 0;
}

const struct sr_atom *sr_intern(struct sr_intern *t, const char *s, size_t n)
{
	uint32_t h = hash_bytes(s, n);
	struct slot *sl = lookup(t, s, n, h);
	struct sr_atom *a;
	uint32_t id;
	char *copy;

	if (sl->id1)
		return atom_at(t, sl->id1 - 1);
	/* ids and lengths are 32-bit in struct sr_atom */
	if (n > UINT32_MAX || t->count >= UINT32_MAX - 1)
		return NULL;

	/* Keep the load at or under 5/8 so that probe chains stay short. */
	if ((t->count + 1) * 8 > (t->mask + 1) * 5) {
		if (grow_slots(t))
			return NULL;
		sl = lookup(t, s, n, h);
	}

	id = (uint32_t)t->count;
	if ((id & (BLOCK_ATOMS - 1)) == 0 && (id >> BLOCK_SHIFT) == t->nblocks) {
		struct sr_atom **dir, *block;

		block = malloc(BLOCK_ATOMS * sizeof(*block));
		if (!block)
			return NULL;
		dir = realloc(t->blocks, (t->nblocks + 1) * sizeof(*dir));
		if (!dir) {
			free(block);
			return NULL;
		}
		dir[t->nblocks++] = block;
		t->blocks = dir;
	}
	copy = sr_arena_memdup(t->bytes, s, n);
	if (!copy)
		return NULL;

	a = atom_at(t, id);
	a->id = id;
	a->len = (uint32_t)n;
	a->json_plain = is_json_plain(s, n);
	a->str = copy;
	sl->hash = h;
	sl->id1 = id + 1;
	t->count++;
	return a;
}

const struct sr_atom *sr_intern_find(const struct sr_intern *t, const char *s, size_t n)
{
	const struct slot *sl = lookup(t, s, n, hash_bytes(s, n));

	return sl->id1 ? atom_at(t, sl->id1 - 1) : NULL;
}

size_t sr_intern_count(const struct sr_intern *t)
{
	return t->count;
}

const struct sr_atom *sr_intern_at(const struct sr_intern *t, uint32_t id)
{
	return id < t->count ? atom_at(t, id) : NULL;
}

void sr_intern_free(struct sr_intern *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	free(t->blocks);
	free(t->slots);
	sr_arena_free(t->bytes);
	free(t);
}
