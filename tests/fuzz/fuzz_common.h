/*
 * fuzz_common.h - what the fuzz targets (tests/fuzz/fuzz_*.c) share.
 *
 * A target gets bytes; they become a real input file (a memfd, opened by
 * the library through /proc/self/fd/N like any path), so the source's
 * codec detection (zstd, gzip) is fuzzed along with the reader.  Every
 * batch the reader returns goes through the strace and jsonl writers into
 * /dev/null, and the reader's line accounting is checked: a reader may
 * fail (with a message), but never crash, hang or lose a line.
 *
 * The same code runs under libFuzzer (make fuzz: clang -fsanitize=fuzzer)
 * and under tests/fuzz/replay.c, a main() that replays corpus files with
 * any compiler (make check).  A broken invariant calls abort(), which both
 * report as a failure.
 */
#ifndef SR_FUZZ_COMMON_H
#define SR_FUZZ_COMMON_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sysrep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a message: libFuzzer saves the input that did it. */
#define FUZZ_ASSERT(cond)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, \
				__LINE__, #cond);                                  \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* A path to a fresh in-memory file holding data[0..size); *fd to close. */
static inline int fuzz_file(const void *data, size_t size, char path[64], int *fd)
{
	const char *p = data;

	*fd = memfd_create("sysrep-fuzz", MFD_CLOEXEC);
	if (*fd < 0)
		return -1;
	while (size > 0) {
		ssize_t w = write(*fd, p, size);

		if (w <= 0) {
			close(*fd);
			return -1;
		}
		p += w;
		size -= (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", *fd);
	return 0;
}

/* The whole content of an in-memory file into a malloc'd buffer. */
static inline char *fuzz_slurp(int fd, size_t *n)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *buf;

	FUZZ_ASSERT(end >= 0);
	buf = malloc((size_t)end + 1);
	FUZZ_ASSERT(buf);
	FUZZ_ASSERT(pread(fd, buf, (size_t)end, 0) == end);
	*n = (size_t)end;
	return buf;
}

struct fuzz_run {
	struct sr_counts counts;
	enum sr_status st;     /* the reader's last status */
	struct sr_error err;
};

/*
 * Reads the file at path with reader rc; each batch goes to every writer in
 * wcs (NULL-terminated, may be empty) on the sink out (may be NULL when wcs
 * is empty).  Checks that the reader keeps its promises: a batch's lines
 * are its events, unparsed lines and attachments; an error says what.
 */
/* Reads path with reader rc (options opts) into writers wcs (options
 * wopts, the same for each) writing to out. */
static inline void fuzz_read_wopts(const struct sr_reader_class *rc, const char *path,
				   const struct sr_opts *opts,
				   const struct sr_writer_class *const *wcs,
				   const struct sr_opts *wopts, struct sr_sink *out,
				   struct fuzz_run *run)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_writer *w[4] = { 0 };
	size_t nw = 0, i;

	memset(run, 0, sizeof(*run));
	FUZZ_ASSERT(atoms && sr_batch_init(&b, atoms) == SR_OK);
	FUZZ_ASSERT(sr_source_open(&src, path, &run->err) == SR_OK);
	for (; wcs && wcs[nw]; nw++)
		FUZZ_ASSERT(wcs[nw]->open(&w[nw], out, wopts, &run->err) == SR_OK);
	run->st = rc->open(&r, src, opts, &run->err);
	if (run->st < 0) {
		r = NULL;
		goto out;
	}
	for (;;) {
		struct sr_counts c = { 0 };

		b.source = path;
		memset(&run->err, 0, sizeof(run->err));
		run->st = rc->next(r, &b, &run->err);
		sr_counts_add(&c, &b);
		run->counts.lines += c.lines;
		run->counts.events += c.events;
		run->counts.unparsed += c.unparsed;
		run->counts.verbatim += c.verbatim;
		run->counts.attached += c.attached;
		if (run->st < 0) {
			/* an error is a sentence, not an empty string */
			FUZZ_ASSERT(run->err.code == run->st && run->err.msg[0]);
			break;
		}
		for (i = 0; i < nw && b.n; i++)
			FUZZ_ASSERT(wcs[i]->write(w[i], &b, &run->err) == SR_OK);
		if (run->st == SR_END) {
			/* every line accounted for (a reader may hold a line
			 * back for the next batch: the totals must agree) */
			FUZZ_ASSERT(run->counts.lines == run->counts.events +
							     run->counts.unparsed +
							     run->counts.attached);
			break;
		}
	}
	for (i = 0; i < nw && run->st >= 0; i++)
		FUZZ_ASSERT(wcs[i]->finish(w[i], &run->err) == SR_OK);
out:
	for (i = 0; i < nw; i++)
		wcs[i]->close(w[i]);
	if (r)
		rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_intern_free(atoms);
}

/* fuzz_read_wopts() with the writers' default options. */
static inline void fuzz_read_opts(const struct sr_reader_class *rc, const char *path,
				  const struct sr_opts *opts,
				  const struct sr_writer_class *const *wcs, struct sr_sink *out,
				  struct fuzz_run *run)
{
	fuzz_read_wopts(rc, path, opts, wcs, NULL, out, run);
}

/* fuzz_read_opts() with the reader's default options. */
static inline void fuzz_read(const struct sr_reader_class *rc, const char *path,
			     const struct sr_writer_class *const *wcs, struct sr_sink *out,
			     struct fuzz_run *run)
{
	fuzz_read_opts(rc, path, NULL, wcs, out, run);
}

/* True when the bytes would be decompressed by the source (zstd, a zstd
 * skippable frame, gzip): then they are not the reader's input as is. */
static inline bool fuzz_compressed(const uint8_t *d, size_t n)
{
	return (n >= 4 && ((d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd) ||
			   ((d[0] & 0xf0) == 0x50 && d[1] == 0x2a && d[2] == 0x4d &&
			    d[3] == 0x18))) ||
	       (n >= 2 && d[0] == 0x1f && d[1] == 0x8b);
}

/* Lines in text as wc -l counts them, plus a last line without a newline. */
static inline uint64_t fuzz_text_lines(const uint8_t *d, size_t n)
{
	uint64_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += d[i] == '\n';
	return k + (n && d[n - 1] != '\n');
}

/* The reader target: bytes -> reader -> strace and jsonl writers -> /dev/null.
 * A text reader (strace) must also count exactly the lines of its input. */
static inline int fuzz_reader_target(const char *reader, const uint8_t *data, size_t size)
{
	static struct sr_sink *null_sink;
	const struct sr_reader_class *rc = sr_reader_find(reader);
	const struct sr_writer_class *wcs[] = { sr_writer_find("strace"),
						sr_writer_find("jsonl"), NULL };
	struct fuzz_run run;
	char path[64];
	int fd;

	FUZZ_ASSERT(rc && wcs[0] && wcs[1]);
	if (!null_sink)
		FUZZ_ASSERT(sr_sink_open(&null_sink, "/dev/null", NULL) == SR_OK);
	if (fuzz_file(data, size, path, &fd) < 0)
		return 0;
	fuzz_read(rc, path, wcs, null_sink, &run);
	close(fd);
	if (!strcmp(reader, "strace") && !fuzz_compressed(data, size)) {
		/* the text reader never fails on text, and loses no line */
		FUZZ_ASSERT(run.st == SR_END);
		FUZZ_ASSERT(run.counts.lines == fuzz_text_lines(data, size));
	}
	/* a sink error would be ours (/dev/null takes everything) */
	FUZZ_ASSERT(sr_sink_flush(null_sink, NULL) == SR_OK);
	return 0;
}

#endif /* SR_FUZZ_COMMON_H */
