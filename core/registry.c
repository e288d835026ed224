/*
 * registry.c - the tables of readers and writers.
 *
 * formats/formats.def is the single list of formats and views; it is
 * included here once to declare each exported class and once per table.  Adding a format needs no change to this file.
 */
#include <stddef.h>
#include <string.h>

#include "sysrep.h"

#define SR_READER(x) extern const struct sr_reader_class sr_in_##x;
#define SR_WRITER(x) extern const struct sr_writer_class sr_out_##x;
#define SR_VIEW(x) extern const struct sr_writer_class sr_view_##x;
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
#undef SR_VIEW

static const struct sr_reader_class *const readers[] = {
#define SR_READER(x) &sr_in_##x,
#define SR_WRITER(x)
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
#undef SR_VIEW
	NULL
};

static const struct sr_writer_class *const writers[] = {
#define SR_READER(x)
#define SR_WRITER(x) &sr_out_##x,
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
#undef SR_VIEW
	NULL
};

static const struct sr_writer_class *const views[] = {
#define SR_READER(x)
#define SR_WRITER(x)
#define SR_VIEW(x) &sr_view_##x,
#include "formats.def"
#undef SR_READER
#undef SR_WRITER
#undef SR_VIEW
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

const struct sr_writer_class *const *sr_views(void)
{
	return views;
}

const struct sr_writer_class *sr_view_find(const char *name)
{
	const struct sr_writer_class *const *w;

	for (w = views; *w; w++)
		if (strcmp((*w)->name, name) == 0)
			return *w;
	return NULL;
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && memcmp(s + n - k, suf, k) == 0;
}

const struct sr_writer_class *sr_writer_for_path(const char *path)
{
	const struct sr_writer_class *const *w, *best = NULL;
	size_t n = strlen(path), best_len = 0;

	if (has_suffix(path, n, ".zst"))
		n -= 4;

	/* the longest extension wins: ".chrome.json" before ".json" */
	for (w = writers; *w; w++) {
		size_t e = (*w)->ext ? strlen((*w)->ext) : 0;

		if (e > best_len && has_suffix(path, n, (*w)->ext)) {
			best = *w;
			best_len = e;
		}
	}
	if (best)
		return best;
	/* an extension a reader claims (".txt", ".trace", ".log" for strace,
	 * ".mpk" for msgpack) writes that format, so the file reads back as
	 * what it was written as */
	for (const struct sr_reader_class *const *r = readers; *r; r++) {
		const char *e = (*r)->exts;

		while (e && *e) {
			size_t k = strcspn(e, ",");
			char ext[32];

			if (k < sizeof(ext)) {
				memcpy(ext, e, k);
				ext[k] = '\0';
				if (has_suffix(path, n, ext) && (best = sr_writer_find((*r)->name)))
					return best;
			}
			e += k + (e[k] == ',');
		}
	}
	return NULL;
}

const struct sr_optdesc *sr_optdesc_find(const struct sr_optdesc *keys, const char *key)
{
	for (; keys && keys->key; keys++)
		if (strcmp(keys->key, key) == 0)
			return keys;
	return NULL;
}
