/*
 * test_source.c - reading plain, zstd and gzip input.
 *
 * The compressed files are made here with libzstd and zlib, so the test
 * needs no tools and controls the exact frame layout.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "sr_test.h"
#include "sysrep.h"

static char dir[] = "/tmp/sysrep-test-source-XXXXXX";
static char *text; /* a trace-like text bigger than every internal buffer */
static size_t text_len;

static int suite_init(void)
{
	size_t cap = 2 << 20, i = 0;
	unsigned seed = 1;

	if (!mkdtemp(dir))
		return -1;
	text = malloc(cap);
	if (!text)
		return -1;
	while (i + 128 < cap - 1024 * 512) {
		seed = seed * 1103515245u + 12345u;
		i += (size_t)snprintf(text + i, cap - i,
				      "[pid %5u] openat(AT_FDCWD, \"/usr/lib/%08x.so\", O_RDONLY) = %u\n",
				      seed % 40000, seed, seed % 1024);
	}
	text_len = i;
	return 0;
}

static int suite_cleanup(void)
{
	free(text);
	return rmdir(dir);
}

static const char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(p, 1, n, f), n);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Appends one zstd frame of src to buf at *len. */
static void add_zstd(char *buf, size_t *len, size_t cap, const void *src, size_t n)
{
	size_t r = ZSTD_compress(buf + *len, cap - *len, src, n, 3);

	CU_ASSERT_FATAL(!ZSTD_isError(r));
	*len += r;
}

/* Appends one gzip member of src to buf at *len. */
static void add_gzip(char *buf, size_t *len, size_t cap, const void *src, size_t n)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	CU_ASSERT_EQUAL_FATAL(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
					   Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf + *len;
	z.avail_out = (uInt)(cap - *len);
	CU_ASSERT_EQUAL(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = cap - z.avail_out;
	deflateEnd(&z);
}

/*
 * Reads path to the end in chunks of the given size.  Returns the status
 * of the last read; the decoded bytes go to *out (malloc'd).
 */
static enum sr_status slurp(const char *path, size_t chunk, char **out, size_t *n,
			    struct sr_error *err)
{
	struct sr_source *s;
	enum sr_status st;
	size_t cap = text_len * 2 + 64, got;

	*n = 0;
	*out = malloc(cap);
	st = sr_source_open(&s, path, err);
	if (st)
		return st;
	do {
		size_t want = chunk < cap - *n ? chunk : cap - *n;

		st = sr_source_read(s, *out + *n, want, &got, err);
		*n += got;
	} while (st == SR_OK && got > 0 && *n < cap);
	if (st == SR_OK)
		CU_ASSERT_EQUAL(sr_source_bytes(s), *n);
	sr_source_close(s);
	return st;
}

/* Reads path with big, odd and small reads; each must give want exactly. */
static void check_decodes_to(const char *path, const char *want, size_t want_len)
{
	static const size_t chunks[] = { 1 << 20, 4093, 61 };
	size_t i, n;
	char *got;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct sr_error err = { 0 };

		CU_ASSERT_EQUAL(slurp(path, chunks[i], &got, &n, &err), SR_OK);
		CU_ASSERT_EQUAL(n, want_len);
		CU_ASSERT(n == want_len && memcmp(got, want, n) == 0);
		free(got);
	}
}

static void plain_file_reads_back_exactly(void)
{
	const char *p = path_of("plain.strace");

	write_file(p, text, text_len);
	check_decodes_to(p, text, text_len);
	unlink(p);
}

static void zstd_file_is_decompressed(void)
{
	const char *p = path_of("z.strace.zst");
	size_t cap = ZSTD_compressBound(text_len), len = 0;
	char *z = malloc(cap);

	add_zstd(z, &len, cap, text, text_len);
	write_file(p, z, len);
	check_decodes_to(p, text, text_len);
	unlink(p);
	free(z);
}

static void concatenated_zstd_frames_read_as_one_stream(void)
{
	/* a skippable frame (magic 0x184D2A50, little-endian size 3) between */
	static const unsigned char skip[] = { 0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'x', 'y', 'z' };
	const char *p = path_of("frames.strace.zst");
	size_t half = text_len / 2, cap = ZSTD_compressBound(text_len) + 64, len = 0;
	char *z = malloc(cap);

	add_zstd(z, &len, cap, text, half);
	memcpy(z + len, skip, sizeof(skip));
	len += sizeof(skip);
	add_zstd(z, &len, cap, text + half, text_len - half);
	write_file(p, z, len);
	check_decodes_to(p, text, text_len);
	unlink(p);
	free(z);
}

static void gzip_members_are_decompressed(void)
{
	const char *p = path_of("g.strace.gz");
	size_t half = text_len / 3, cap = text_len + 4096, len = 0;
	char *z = malloc(cap);

	add_gzip(z, &len, cap, text, text_len);
	write_file(p, z, len);
	check_decodes_to(p, text, text_len);

	/* what `cat a.gz b.gz` makes */
	len = 0;
	add_gzip(z, &len, cap, text, half);
	add_gzip(z, &len, cap, text + half, text_len - half);
	write_file(p, z, len);
	check_decodes_to(p, text, text_len);
	unlink(p);
	free(z);
}

static void truncated_zstd_is_an_error_naming_file_and_offset(void)
{
	const char *p = path_of("cut.strace.zst");
	size_t cap = ZSTD_compressBound(text_len), len = 0, n;
	struct sr_error err = { 0 };
	char *z = malloc(cap), *got, want[64];
	enum sr_status st;

	add_zstd(z, &len, cap, text, text_len);
	write_file(p, z, len / 2);
	st = slurp(p, 65536, &got, &n, &err);
	CU_ASSERT(st == SR_ERR_PARSE || st == SR_ERR_IO);
	CU_ASSERT_EQUAL(err.code, st);
	CU_ASSERT_STRING_EQUAL(err.file, p);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot decompress input: "));
	snprintf(want, sizeof(want), "compressed byte %zu", len / 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	/* what came before the cut was delivered intact */
	CU_ASSERT(n < text_len && memcmp(got, text, n) == 0);
	free(got);
	unlink(p);
	free(z);
}

static void corrupt_or_truncated_gzip_is_an_error(void)
{
	const char *p = path_of("bad.strace.gz");
	size_t cap = text_len + 4096, len = 0, n;
	struct sr_error err = { 0 };
	char *z = malloc(cap), *got;

	add_gzip(z, &len, cap, text, text_len);
	write_file(p, z, len - 5);
	CU_ASSERT_EQUAL(slurp(p, 65536, &got, &n, &err), SR_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "truncated"));
	CU_ASSERT_STRING_EQUAL(err.file, p);
	free(got);

	memset(z + len / 2, 0xff, 64);
	write_file(p, z, len);
	CU_ASSERT_EQUAL(slurp(p, 65536, &got, &n, &err), SR_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "compressed byte"));
	free(got);
	unlink(p);
	free(z);
}

static void missing_file_is_an_io_error_with_the_file_set(void)
{
	struct sr_source *s = (struct sr_source *)1;
	struct sr_error err = { 0 };
	char buf[512];

	CU_ASSERT_EQUAL(sr_source_open(&s, path_of("nope.strace"), &err), SR_ERR_IO);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot open input: No such file or directory");
	CU_ASSERT_STRING_EQUAL(err.file, path_of("nope.strace"));
	snprintf(buf, sizeof(buf), "cannot open input: file=%s: No such file or directory",
		 path_of("nope.strace"));
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, (char[512]){ 0 }, 512), buf);
}

static void peek_returns_decoded_bytes_without_consuming_them(void)
{
	const char *p = path_of("peek.strace.zst");
	size_t cap = ZSTD_compressBound(text_len), len = 0, n = 0, got;
	char *z = malloc(cap), *all = malloc(text_len + 1), head[300000];
	struct sr_source *s;
	enum sr_status st;

	add_zstd(z, &len, cap, text, text_len);
	write_file(p, z, len);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, p, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_source_peek(s, head, 16, NULL), 16);
	CU_ASSERT_EQUAL(memcmp(head, text, 16), 0);
	/* a bigger peek still starts at the beginning */
	CU_ASSERT_EQUAL(sr_source_peek(s, head, sizeof(head), NULL), sizeof(head));
	CU_ASSERT_EQUAL(memcmp(head, text, sizeof(head)), 0);
	CU_ASSERT_EQUAL(sr_source_bytes(s), 0);
	do {
		st = sr_source_read(s, all + n, text_len + 1 - n, &got, NULL);
		n += got;
	} while (st == SR_OK && got);
	CU_ASSERT_EQUAL(st, SR_OK);
	CU_ASSERT_EQUAL(n, text_len);
	CU_ASSERT(n == text_len && memcmp(all, text, n) == 0);
	sr_source_close(s);
	unlink(p);
	free(all);
	free(z);
}

static void tiny_and_empty_files_read_back(void)
{
	const char *p = path_of("tiny");
	struct sr_source *s;
	char buf[16];
	size_t got;

	write_file(p, "", 0);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, p, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_source_peek(s, buf, sizeof(buf), NULL), 0);
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT_EQUAL(got, 0);
	sr_source_close(s);

	/* shorter than any magic, and starting like a gzip one */
	write_file(p, "\x1f", 1);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, p, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL(buf[0], '\x1f');
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT_EQUAL(got, 0);
	sr_source_close(s);
	unlink(p);
}

static void dash_reads_stdin(void)
{
	const char *p = path_of("stdin.strace.gz");
	size_t cap = text_len + 4096, len = 0, n = 0, got;
	char *z = malloc(cap), *all = malloc(text_len + 1);
	struct sr_source *s;
	int saved = dup(0), fd;
	enum sr_status st;

	add_gzip(z, &len, cap, text, text_len);
	write_file(p, z, len);
	fd = open(p, O_RDONLY);
	CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, "-", NULL), SR_OK);
	CU_ASSERT_STRING_EQUAL(sr_source_name(s), "-");
	do {
		st = sr_source_read(s, all + n, text_len + 1 - n, &got, NULL);
		n += got;
	} while (st == SR_OK && got);
	CU_ASSERT_EQUAL(n, text_len);
	CU_ASSERT(n == text_len && memcmp(all, text, n) == 0);
	sr_source_close(s);
	/* closing the source leaves stdin open */
	CU_ASSERT_NOT_EQUAL(fcntl(0, F_GETFD), -1);
	dup2(saved, 0);
	close(saved);
	unlink(p);
	free(all);
	free(z);
}

static void errors_are_sticky(void)
{
	const char *p = path_of("sticky.zst");
	static const unsigned char junk[] = { 0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff };
	struct sr_error err = { 0 }, err2 = { 0 };
	struct sr_source *s;
	char buf[64];
	size_t got;

	write_file(p, junk, sizeof(junk));
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, p, NULL), SR_OK);
	/* a failing peek returns what it has; the read then reports */
	CU_ASSERT_EQUAL(sr_source_peek(s, buf, sizeof(buf), &err), 0);
	CU_ASSERT_EQUAL(err.code, SR_ERR_PARSE);
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, &err2), SR_ERR_PARSE);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_STRING_EQUAL(err2.msg, err.msg);
	CU_ASSERT_STRING_EQUAL(err2.file, p);
	sr_source_close(s);
	sr_source_close(NULL);
	unlink(p);
}

/* issue 22: a line past the limit keeps its head (max - 1 bytes and its
 * newline), the rest is dropped and counted, whatever the read sizes. */
static void long_lines_are_cut_at_the_limit(void)
{
	static const char in[] = "short\n0123456789abcdef\n0123456\nxy";
	static const char want[] = "short\n0123456\n0123456\nxy";
	const struct sr_opt o[] = { { "max_line", "8" } };
	const struct sr_opts opts = { o, 1 }, bad = { (const struct sr_opt[]){ { "max_line", "1" } }, 1 };
	const char *path = path_of("long-lines.txt");

	write_file(path, in, sizeof(in) - 1);
	for (size_t chunk = 1; chunk <= 32; chunk++) {
		struct sr_source *s = NULL;
		char got[64];
		size_t n = 0, k;
		uint64_t lines, bytes;

		CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, path, NULL), SR_OK);
		CU_ASSERT_EQUAL_FATAL(sr_source_limit_lines(s, &opts, NULL), SR_OK);
		while (sr_source_read(s, got + n, chunk < sizeof(got) - n ? chunk : sizeof(got) - n,
				      &k, NULL) == SR_OK && k)
			n += k;
		CU_ASSERT(n == sizeof(want) - 1 && !memcmp(got, want, n));
		sr_source_cut(s, &lines, &bytes);
		CU_ASSERT_EQUAL(lines, 1);
		CU_ASSERT_EQUAL(bytes, 9);
		sr_source_close(s);
	}
	{
		struct sr_source *s = NULL;
		struct sr_error err = { 0 };

		CU_ASSERT_EQUAL_FATAL(sr_source_open(&s, path, NULL), SR_OK);
		CU_ASSERT_EQUAL(sr_source_limit_lines(s, &bad, &err), SR_ERR_USAGE);
		CU_ASSERT(strstr(err.msg, "max_line") != NULL);
		sr_source_close(s);
	}
	unlink(path);
}

/* A caller's source: three pieces of a zstd magic and text (taken as
 * they are, never decompressed), then an error. */
struct pieces {
	int calls;
};

static enum sr_status piece(void *ctx, void *buf, size_t n, size_t *got, struct sr_error *err)
{
	static const char *const part[] = { "\x28\xb5\x2f\xfd", "ab", "c\n" };
	struct pieces *p = ctx;
	size_t k;

	if (p->calls == 3)
		return sr_error_set(err, SR_ERR_PARSE, "cannot parse: the caller's error");
	k = strlen(part[p->calls]);
	CU_ASSERT(n >= k);
	memcpy(buf, part[p->calls++], k);
	*got = k;
	return SR_OK;
}

static void a_callers_source_reads_its_bytes_then_its_sticky_error(void)
{
	struct pieces p = { 0 };
	struct sr_source *s;
	struct sr_error err = { 0 };
	char buf[64], all[64];
	size_t got, len = 0;
	enum sr_status st;

	CU_ASSERT_EQUAL_FATAL(sr_source_open_fn(&s, "from-fn", piece, &p, &err), SR_OK);
	CU_ASSERT_STRING_EQUAL(sr_source_name(s), "from-fn");
	while ((st = sr_source_read(s, buf, sizeof(buf), &got, &err)) == SR_OK && got) {
		memcpy(all + len, buf, got);
		len += got;
	}
	CU_ASSERT_EQUAL(len, 8);
	CU_ASSERT(memcmp(all, "\x28\xb5\x2f\xfd" "abc\n", 8) == 0);
	CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot parse: the caller's error");
	/* sticky: the callback is not asked again */
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, &err), SR_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot parse: the caller's error");
	CU_ASSERT_EQUAL(p.calls, 3);
	sr_source_close(s);
}

static CU_TestInfo cases[] = {
	{ "a caller's source reads its bytes as they are, then its error, sticky",
	  a_callers_source_reads_its_bytes_then_its_sticky_error },
	{ "a plain file reads back exactly", plain_file_reads_back_exactly },
	{ "lines past the limit are cut, the rest counted", long_lines_are_cut_at_the_limit },
	{ "a zstd file is decompressed", zstd_file_is_decompressed },
	{ "concatenated zstd frames read as one stream", concatenated_zstd_frames_read_as_one_stream },
	{ "single and concatenated gzip members are decompressed", gzip_members_are_decompressed },
	{ "truncated zstd is an error naming the file and the compressed offset", truncated_zstd_is_an_error_naming_file_and_offset },
	{ "corrupt or truncated gzip is an error", corrupt_or_truncated_gzip_is_an_error },
	{ "a missing file is an I/O error with the file set", missing_file_is_an_io_error_with_the_file_set },
	{ "peek returns decoded bytes without consuming them", peek_returns_decoded_bytes_without_consuming_them },
	{ "tiny and empty files read back", tiny_and_empty_files_read_back },
	{ "dash reads stdin and leaves it open", dash_reads_stdin },
	{ "errors are sticky across peek and read", errors_are_sticky },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_source = {
	.name = "source",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
