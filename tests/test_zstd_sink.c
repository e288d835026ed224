/*
 * test_zstd_sink.c - zstd output through the sink (sr_sink_set_zstd), and
 * the compressed inputs the source reads: skippable frames, several
 * frames, truncated and corrupt zstd and gzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "sr_test.h"
#include "sysrep.h"

#define SR_SCRATCH_TAG "zsink"
#include "sr_scratch.h"

/* Streaming decompression of a whole buffer; *n is the decoded size, or
 * (size_t)-1 when the data is not complete, valid zstd. */
static char *unzstd(const char *src, size_t len, size_t *n)
{
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	size_t cap = 1 << 16, r = 1;
	char *out = malloc(cap);
	ZSTD_inBuffer in = { src, len, 0 };

	*n = 0;
	while (in.pos < in.size) {
		ZSTD_outBuffer o;

		if (cap - *n < 65536) {
			cap *= 2;
			out = realloc(out, cap);
		}
		o = (ZSTD_outBuffer){ out, cap, *n };
		r = ZSTD_decompressStream(dc, &o, &in);
		*n = o.pos;
		if (ZSTD_isError(r))
			break;
	}
	if (ZSTD_isError(r) || r != 0)
		*n = (size_t)-1;
	ZSTD_freeDCtx(dc);
	return out;
}

/* Some text that is neither trivial nor random. */
static char *sample(size_t n)
{
	char *p = malloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (char)("openat read close mmap\n"[i % 23] ^ (i % 97 == 0 ? 1 : 0));
	return p;
}

static void writes_of_every_kind_decompress_to_the_same_bytes(void)
{
	const size_t big = 3 << 20;
	char *text = sample(big), *file, *got, *r;
	struct sr_sink *s;
	size_t n, m, off = 0;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("a.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_set_zstd(s, 3, 0, NULL), SR_OK);
	/* small writes, a reservation, then one block bigger than the buffer */
	for (; off < 1000; off += 10)
		sr_sink_write(s, text + off, 10);
	r = sr_sink_reserve(s, 5000);
	memcpy(r, text + off, 4000);
	sr_sink_commit(s, 4000);
	off += 4000;
	sr_sink_write(s, text + off, big - off);
	CU_ASSERT_EQUAL(sr_sink_bytes(s), big);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);

	file = slurp(path_of("a.zst"), &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT(n < big / 10); /* it was compressed */
	got = unzstd(file, n, &m);
	CU_ASSERT_EQUAL(m, big);
	CU_ASSERT(m == big && memcmp(got, text, big) == 0);
	free(got);
	free(file);
	free(text);
}

static void worker_threads_make_a_valid_frame(void)
{
	const size_t big = 5 << 20;
	char *text = sample(big), *file, *got;
	struct sr_sink *s;
	size_t n, m;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("t.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_set_zstd(s, 1, 2, NULL), SR_OK);
	for (size_t off = 0; off < big; off += 100000)
		sr_sink_write(s, text + off, big - off < 100000 ? big - off : 100000);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	file = slurp(path_of("t.zst"), &n);
	got = unzstd(file, n, &m);
	CU_ASSERT(m == big && memcmp(got, text, big) == 0);
	free(got);
	free(file);
	free(text);
}

static void the_source_reads_back_what_the_sink_compressed(void)
{
	const char *text = "[pid 1] read(3, \"x\", 1) = 1\n";
	struct sr_sink *s;
	struct sr_source *src;
	char buf[256];
	size_t got;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("b.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_set_zstd(s, 19, 0, NULL), SR_OK);
	sr_sink_write(s, text, strlen(text));
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path_of("b.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_source_read(src, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT(got == strlen(text) && memcmp(buf, text, got) == 0);
	CU_ASSERT_EQUAL(sr_source_read(src, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT_EQUAL(got, 0);
	sr_source_close(src);
}

static void an_empty_output_is_one_empty_frame(void)
{
	struct sr_sink *s;
	char *file, *got;
	size_t n, m;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("e.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_set_zstd(s, 3, 0, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	file = slurp(path_of("e.zst"), &n);
	CU_ASSERT(n > 0);
	got = unzstd(file, n, &m);
	CU_ASSERT_EQUAL(m, 0);
	free(got);
	free(file);
}

static void compression_is_refused_after_the_first_write_or_at_a_bad_level(void)
{
	struct sr_sink *s;
	struct sr_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("u.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_sink_set_zstd(s, 1000, 0, &err), SR_ERR_USAGE);
	CU_ASSERT(strstr(err.msg, "level") != NULL);
	CU_ASSERT_EQUAL(sr_sink_set_zstd(s, 3, -1, NULL), SR_ERR_USAGE);
	sr_sink_write(s, "x", 1);
	CU_ASSERT_EQUAL(sr_sink_set_zstd(s, 3, 0, &err), SR_ERR_USAGE);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
}

/* Written in place (a symbolic link), a flushed stream is readable up to
 * the flush while the sink is still open: a pipe's reader sees it too. */
static void a_flush_pushes_out_what_zstd_holds(void)
{
	char *text = sample(100000), *file, *got;
	struct sr_sink *s;
	size_t n, m;
	ZSTD_DCtx *dc;
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;

	write_file(path_of("real.zst"), "", 0);
	CU_ASSERT_EQUAL_FATAL(symlink(path_of("real.zst"), path_of("link.zst")), 0);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path_of("link.zst"), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_set_zstd(s, 3, 0, NULL), SR_OK);
	sr_sink_write(s, text, 100000);
	CU_ASSERT_EQUAL(sr_sink_flush(s, NULL), SR_OK);
	file = slurp(path_of("real.zst"), &n);
	got = malloc(200000);
	dc = ZSTD_createDCtx();
	in = (ZSTD_inBuffer){ file, n, 0 };
	out = (ZSTD_outBuffer){ got, 200000, 0 };
	while (in.pos < in.size && !ZSTD_isError(ZSTD_decompressStream(dc, &out, &in)))
		;
	m = out.pos;
	CU_ASSERT(m == 100000 && memcmp(got, text, m) == 0);
	ZSTD_freeDCtx(dc);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	free(got);
	free(file);
	free(text);
}

/* ---- compressed input ---------------------------------------------------- */

/* One frame with a checksum, as sr_sink_set_zstd writes them. */
static size_t zframe(char *dst, size_t cap, const char *src, size_t n)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t r;

	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	r = ZSTD_compress2(cc, dst, cap, src, n);
	ZSTD_freeCCtx(cc);
	CU_ASSERT_FATAL(!ZSTD_isError(r));
	return r;
}

static size_t skippable(char *dst, uint8_t low, const char *payload, uint32_t n)
{
	dst[0] = (char)(0x50 | low);
	dst[1] = 0x2a;
	dst[2] = 0x4d;
	dst[3] = 0x18;
	dst[4] = (char)n;
	dst[5] = (char)(n >> 8);
	dst[6] = (char)(n >> 16);
	dst[7] = (char)(n >> 24);
	memcpy(dst + 8, payload, n);
	return 8 + n;
}

/* Reads path whole through a source: its status and the bytes. */
static enum sr_status read_all(const char *path, char *buf, size_t cap, size_t *n,
			       struct sr_error *err)
{
	struct sr_source *src;
	enum sr_status st;
	size_t got;

	*n = 0;
	st = sr_source_open(&src, path, err);
	if (st)
		return st;
	do {
		st = sr_source_read(src, buf + *n, cap - *n, &got, err);
		*n += got;
	} while (st == SR_OK && got > 0 && *n < cap);
	sr_source_close(src);
	return st;
}

static void skippable_frames_anywhere_are_skipped(void)
{
	const char *a = "first frame\n", *b = "second frame\n";
	char file[1024], got[256];
	size_t n = 0, m;

	n += skippable(file + n, 0, "meta", 4);
	n += zframe(file + n, sizeof(file) - n, a, strlen(a));
	n += skippable(file + n, 0xf, "", 0);
	n += zframe(file + n, sizeof(file) - n, b, strlen(b));
	n += skippable(file + n, 7, "trailing", 8);
	write_file(path_of("skip.zst"), file, n);
	CU_ASSERT_EQUAL(read_all(path_of("skip.zst"), got, sizeof(got), &m, NULL), SR_OK);
	CU_ASSERT(m == strlen(a) + strlen(b) && !memcmp(got, a, strlen(a)) &&
		  !memcmp(got + strlen(a), b, strlen(b)));
}

/* Every cut of a compressed file is an error naming the file and an offset,
 * never a short success. */
static void check_every_cut_fails(const char *name, const char *file, size_t n, size_t from)
{
	char got[1 << 16];

	for (size_t cut = from; cut < n; cut++) {
		struct sr_error err = { 0 };
		size_t m;
		enum sr_status st;

		write_file(path_of(name), file, cut);
		st = read_all(path_of(name), got, sizeof(got), &m, &err);
		CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
		if (st != SR_ERR_PARSE) {
			fprintf(stderr, "\n%s cut at %zu: status %d\n", name, cut, st);
			break;
		}
		CU_ASSERT(strstr(err.file, name) != NULL);
		CU_ASSERT(strstr(err.msg, "byte") != NULL);
	}
}

static void truncated_zstd_and_gzip_fail_at_every_cut(void)
{
	char *text = sample(20000), file[32768];
	size_t n = 0;
	z_stream z;

	/* zstd: from 4, a cut inside the magic is not zstd any more */
	n = zframe(file, sizeof(file), text, 20000);
	check_every_cut_fails("cut.zst", file, n, 4);

	memset(&z, 0, sizeof(z));
	CU_ASSERT_EQUAL_FATAL(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
					   Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = 20000;
	z.next_out = (Bytef *)file;
	z.avail_out = sizeof(file);
	CU_ASSERT_EQUAL(deflate(&z, Z_FINISH), Z_STREAM_END);
	n = sizeof(file) - z.avail_out;
	deflateEnd(&z);
	/* from 2: a cut inside the magic is not gzip any more */
	check_every_cut_fails("cut.gz", file, n, 2);
	free(text);
}

static void corrupt_zstd_is_an_error_not_garbage(void)
{
	char *text = sample(20000), file[32768], got[32768];
	size_t n = zframe(file, sizeof(file), text, 20000), m;
	int errors = 0;

	/* the frame has a checksum: any flipped byte past the header fails */
	for (size_t at = 20; at < n; at += 3) {
		struct sr_error err = { 0 };

		file[at] ^= 0x10;
		write_file(path_of("bad.zst"), file, n);
		if (read_all(path_of("bad.zst"), got, sizeof(got), &m, &err) == SR_ERR_PARSE &&
		    strstr(err.msg, "byte"))
			errors++;
		else
			CU_ASSERT(m == 20000 && !memcmp(got, text, m));
		file[at] ^= 0x10;
	}
	CU_ASSERT(errors > 0);
	free(text);
}

static CU_TestInfo cases[] = {
	{ "writes of every kind decompress to the same bytes",
	  writes_of_every_kind_decompress_to_the_same_bytes },
	{ "worker threads make a valid frame", worker_threads_make_a_valid_frame },
	{ "the source reads back what the sink compressed",
	  the_source_reads_back_what_the_sink_compressed },
	{ "an empty output is one empty frame", an_empty_output_is_one_empty_frame },
	{ "compression is refused after the first write or at a bad level",
	  compression_is_refused_after_the_first_write_or_at_a_bad_level },
	{ "a flush pushes out what zstd holds", a_flush_pushes_out_what_zstd_holds },
	{ "skippable frames anywhere are skipped", skippable_frames_anywhere_are_skipped },
	{ "truncated zstd and gzip fail at every cut", truncated_zstd_and_gzip_fail_at_every_cut },
	{ "corrupt zstd is an error, not garbage", corrupt_zstd_is_an_error_not_garbage },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_zstd_sink = {
	.name = "zstd_sink",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
