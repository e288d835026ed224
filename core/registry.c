/*
 * registry.c - the tables of readers and writers.
 *
 * formats/formats.def is the single list of formats; it is included twice
 * here, once to declare each format's exported class and once to put it
 * in a table.  Adding a format needs no change to this file.
 */
#include <stddef.h>
#include <string.h>

#include "sysrep.h"

#define SR_READER(x) extern const struct sr_reader_class sr_in_##x;
#define SR_WRITER(x) extern const struct sr_writer_class sr_out_##x;
#include "formats.def"
#undef SR_READER
#undef SR_WRITER

static const struct sr_reader_class *const readers[] = {
#define SR_READER(x) &sr_in_##x,
#define SR_WRITER(x)
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
	NULL
};

static const struct sr_writer_class *const writers[] = {
#define SR_READER(x)
#define SR_WRITER(x) &sr_out_##x,
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
	NULL
};

const struct sr_reader_class *const *sr_readers(void)
{
	return readers;
}

const struct sr_writer_class *const *sr_writers(void)
{
	return writers;
}

const struct sr_reader_class *sr_reader_find(const char *name)
{
	const struct sr_reader_class *const *r;

	for (r = readers; *r; r++)
		if (strcmp((*r)->name, name) == 0)
			return *r;
	return NULL;
}

const struct sr_writer_class *sr_writer_find(const char *name)
{
	const struct sr_writer_class *const *w;

	for (w = writers; *w; w++)
		if (strcmp((*w)->name, name) == 0)
			return *w;
	return NULL;
}

const struct sr_reader_class *sr_reader_detect(const void *head, size_t n)
{
	const struct sr_reader_class *const *r, *best = NULL;
	int best_score = 0;

	/* Ties go to the reader listed first in formats.def. */
	for (r = readers; *r; r++) {
		int score = (*r)->probe ? (*r)->probe(head, n) : 0;

		if (score > best_score) {
			best_score = score;
			best = *r;
		}
	}
	return best;
}
