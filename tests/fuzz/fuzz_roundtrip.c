/*
 * fuzz_roundtrip.c - the round trip promise on any bytes.
 *
 *  1. strace -> strace gives the input back, byte for byte, whatever the
 *     input (README: "sysrep convert -t strace X | cmp - X holds for any
 *     input"): a line the model cannot hold stays verbatim or unparsed.
 *  2. When the strace reader parsed every line into the model (no unparsed,
 *     no verbatim event), strace -> X -> strace gives it back too, for X in
 *     pb, msgpack, jsonl and archive: the wire formats lose nothing.
 *     JSON Lines and msgpack's default form (the same records) only for
 *     valid UTF-8 input: JSON strings cannot hold other bytes, and only strings, unparsed lines and attachments carry
 *     a "hex" copy of them; bytes that are not UTF-8 in names, fd paths
 *     or comments become U+FFFD, so the JSON stays valid JSON.
 *  3. The strace reader prints back only the lines its parser flagged as
 *     spelled in a way the printer might not give back; with verify=all it
 *     prints back every line.  Both give the same strace and JSON Lines
 *     output: no spelling escapes the parser's flags.
 *
 * Compressed inputs are skipped: the source would decompress them, so the
 * reader's input is not the bytes given.
 */
#include "fuzz_common.h"
#include "json_emit.h"

/* Reads the file at in_path with reader `from`, writes it with writer `to`
 * into a fresh in-memory file; returns that file's descriptor. */
static int convert_wopts(const char *from, const char *in_path, const struct sr_opts *opts,
			 const char *to, const struct sr_opts *wopts, struct fuzz_run *run)
{
	const struct sr_reader_class *rc = sr_reader_find(from);
	const struct sr_writer_class *wcs[] = { sr_writer_find(to), NULL };
	struct sr_sink *sink;
	char path[64];
	int fd;

	FUZZ_ASSERT(rc && wcs[0]);
	FUZZ_ASSERT(fuzz_file("", 0, path, &fd) == 0);
	FUZZ_ASSERT(sr_sink_open(&sink, path, NULL) == SR_OK);
	fuzz_read_wopts(rc, in_path, opts, wcs, wopts, sink, run);
	FUZZ_ASSERT(sr_sink_close(sink, NULL) == SR_OK);
	return fd;
}

static int convert_opts(const char *from, const char *in_path, const struct sr_opts *opts,
			const char *to, struct fuzz_run *run)
{
	return convert_wopts(from, in_path, opts, to, NULL, run);
}

static int convert(const char *from, const char *in_path, const char *to, struct fuzz_run *run)
{
	return convert_opts(from, in_path, NULL, to, run);
}

/* Aborts, with the first difference, when files a and b differ. */
static void same_files(const char *what, int a, int b)
{
	size_t na, nb, i;
	char *pa = fuzz_slurp(a, &na), *pb = fuzz_slurp(b, &nb);

	for (i = 0; i < na && i < nb && pa[i] == pb[i]; i++)
		;
	if (i < na || i < nb) {
		fprintf(stderr, "%s: with and without verify=all differ at byte %zu\n", what, i);
		abort();
	}
	free(pa);
	free(pb);
}

/* Aborts, with the first difference, when fd's content is not data. */
static void same(const char *via, int fd, const uint8_t *data, size_t size)
{
	size_t n, i;
	char *got = fuzz_slurp(fd, &n);

	for (i = 0; i < n && i < size && (uint8_t)got[i] == data[i]; i++)
		;
	if (i < n || i < size) {
		fprintf(stderr, "round trip through %s differs at byte %zu (got %zu bytes, want %zu)\n",
			via, i, n, size);
		abort();
	}
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* msgpack's default form is the JSON Lines record as maps: lossless
	 * where jsonl is (UTF-8 input); its spelled form is lossless always */
	static const struct sr_opt spelling = { "record", "spelling" };
	static const struct sr_opts spelled = { &spelling, 1 };
	static const struct {
		const char *fmt, *name;
		const struct sr_opts *wopts;
		bool utf8_only;
	} via[] = {
		{ "pb", "pb", NULL, false },
		{ "msgpack", "msgpack", NULL, true },
		{ "msgpack", "msgpack -O record=spelling", &spelled, false },
		{ "jsonl", "jsonl", NULL, true },
		{ "archive", "archive", NULL, false },
	};
	struct fuzz_run run, run2;
	char path[64], mid_path[64];
	int fd, out, mid;

	if (fuzz_compressed(data, size) || fuzz_file(data, size, path, &fd) < 0)
		return 0;

	out = convert("strace", path, "strace", &run);
	FUZZ_ASSERT(run.st == SR_END);
	FUZZ_ASSERT(run.counts.lines == fuzz_text_lines(data, size));
	same("strace", out, data, size);
	close(out);

	{
		static const struct sr_opt all = { "verify", "all" };
		static const struct sr_opts opts = { &all, 1 };
		int a, b;

		a = convert_opts("strace", path, &opts, "strace", &run2);
		FUZZ_ASSERT(run2.st == SR_END && run2.counts.verbatim == run.counts.verbatim);
		same("strace with verify=all", a, data, size);
		close(a);
		a = convert("strace", path, "jsonl", &run2);
		b = convert_opts("strace", path, &opts, "jsonl", &run2);
		same_files("jsonl", a, b);
		close(a);
		close(b);
	}

	if (run.counts.unparsed == 0 && run.counts.verbatim == 0) {
		bool utf8 = sr_json_utf8_valid((const char *)data, size);

		for (size_t k = 0; k < sizeof(via) / sizeof(via[0]); k++) {
			if (via[k].utf8_only && !utf8)
				continue;
			mid = convert_wopts("strace", path, NULL, via[k].fmt, via[k].wopts, &run2);
			FUZZ_ASSERT(run2.st == SR_END);
			snprintf(mid_path, sizeof(mid_path), "/proc/self/fd/%d", mid);
			out = convert(via[k].fmt, mid_path, "strace", &run2);
			if (run2.st != SR_END)
				fprintf(stderr, "reading back %s: %s\n", via[k].name, run2.err.msg);
			FUZZ_ASSERT(run2.st == SR_END);
			same(via[k].name, out, data, size);
			close(out);
			close(mid);
		}
	}
	close(fd);
	return 0;
}
