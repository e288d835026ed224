/*
 * test_archive.c - the archive writer and reader (formats/archive/out_archive.c,
 * formats/archive/in_archive.c): the whole event model comes back field by field,
 * every corpus trace comes back byte for byte as strace text, and a cut or
 * damaged archive is an error naming the file and a byte offset.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "sr_test.h"
#include "sysrep.h"

#define SR_SCRATCH_TAG "archive"
#include "sr_scratch.h"

/* in (any format) -> out as format to, with format options. */
/* ---- the event model, field by field -------------------------------------- */

static bool str_eq(struct sr_str a, struct sr_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool atom_eq(const struct sr_atom *a, const struct sr_atom *b)
{
	if (!a || !b)
		return a == b;
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static bool time_eq(const struct sr_time *a, const struct sr_time *b)
{
	return a->sec == b->sec && a->nsec == b->nsec && a->clock == b->clock &&
	       a->digits == b->digits && a->width == b->width;
}

static bool value_eq(const struct sr_value *a, const struct sr_value *b)
{
	if (a->kind != b->kind || a->base != b->base || a->flags != b->flags ||
	    a->nkids != b->nkids || !str_eq(a->name, b->name) || !str_eq(a->text, b->text) ||
	    a->num.u != b->num.u)
		return false;
	for (uint32_t i = 0; i < a->nkids; i++)
		if (!value_eq(&a->kids[i], &b->kids[i]))
			return false;
	return true;
}

static bool event_eq(const struct sr_event *a, const struct sr_event *b)
{
	const struct sr_leader *x = &a->lead, *y = &b->lead;

	if (a->kind != b->kind || a->flags != b->flags || a->nr != b->nr ||
	    a->nargs != b->nargs || a->split != b->split || a->pad != b->pad ||
	    a->padcol != b->padcol || a->has_ret != b->has_ret || !atom_eq(a->name, b->name) || !atom_eq(a->err, b->err) ||
	    !str_eq(a->errmsg, b->errmsg) || a->nnotes != b->nnotes ||
	    !str_eq(a->unavail, b->unavail) || a->code != b->code || !str_eq(a->text, b->text) ||
	    a->natt != b->natt || a->line != b->line || !time_eq(&a->start, &b->start) ||
	    !time_eq(&a->duration, &b->duration))
		return false;
	if (x->pid != y->pid || x->pid_form != y->pid_form || x->has_nr != y->has_nr ||
	    x->has_ip != y->has_ip || x->nr_unknown != y->nr_unknown ||
	    x->ip_unknown != y->ip_unknown || x->ip_digits != y->ip_digits ||
	    x->ip_spaced != y->ip_spaced ||
	    x->nr_width != y->nr_width || x->nr != y->nr || x->ip != y->ip ||
	    !time_eq(&x->time, &y->time) || !time_eq(&x->rel, &y->rel) ||
	    !str_eq(x->comm, y->comm) || !str_eq(x->secontext, y->secontext))
		return false;
	for (uint32_t i = 0; i < a->nargs; i++)
		if (!value_eq(&a->args[i], &b->args[i]))
			return false;
	if (!a->ret != !b->ret || (a->ret && !value_eq(a->ret, b->ret)))
		return false;
	for (uint32_t i = 0; i < a->nnotes; i++)
		if (!str_eq(a->notes[i], b->notes[i]))
			return false;
	for (uint32_t i = 0; i < a->natt; i++) {
		const struct sr_attach *p = &a->att[i], *q = &b->att[i];

		if (p->kind != q->kind || p->addr != q->addr || p->offset != q->offset ||
		    !str_eq(p->module, q->module) || !str_eq(p->symbol, q->symbol) ||
		    !str_eq(p->bytes, q->bytes) || !str_eq(p->text, q->text))
			return false;
	}
	if (!a->sum != !b->sum)
		return false;
	return !a->sum || memcmp(a->sum, b->sum, sizeof(*a->sum)) == 0;
}

#define S(lit) ((struct sr_str){ (lit), sizeof(lit) - 1 })

static struct sr_value *vals(struct sr_batch *b, size_t n)
{
	struct sr_value *v = sr_arena_alloc(b->arena, n * sizeof(*v));

	memset(v, 0, n * sizeof(*v));
	return v;
}

/* Events that use every field of the model, the odd values included. */
static void fill_model(struct sr_batch *b, struct sr_intern *atoms, int copies)
{
	for (int c = 0; c < copies; c++) {
		struct sr_event *e;
		struct sr_value *a, *k;
		struct sr_summary *s;
		struct sr_attach *at;
		struct sr_str *notes;
		static const char text[] = " > /lib/libc.so.6(__open64+0x51) [0xf8011]";

		/* a call with an argument of every kind */
		e = sr_batch_push(b);
		e->kind = SR_E_SYSCALL;
		e->flags = SR_EF_RESUMED | SR_EF_SEP_CUT;
		e->line = 10 + (uint64_t)c * 7;
		e->lead.pid = 4000 + c % 3;
		e->lead.pid_form = SR_PID_BRACKET;
		e->lead.has_nr = true;
		e->lead.nr = 257;
		e->lead.nr_width = 3;
		e->lead.has_ip = true;
		e->lead.ip = 0x7f0000001000ull + (uint64_t)c * 16;
		e->lead.ip_digits = 16;
		e->lead.ip_spaced = c % 2; /* strace <= 4.7's "%16lx" on every other */
		e->lead.time = (struct sr_time){ 3600 * 2 + c, 123456000u + (uint32_t)c * 1000,
						 SR_CLOCK_TOD, 6, 0 };
		e->lead.rel = (struct sr_time){ 0, 52000, SR_CLOCK_REL, 6, 3 };
		e->lead.comm = S("prog");
		e->lead.secontext = S("unconfined_u:unconfined_r");
		e->start = (struct sr_time){ 3600 * 2 + c - 1, 5000, SR_CLOCK_TOD, 6, 0 };
		e->duration = (struct sr_time){ 0, 204000, SR_CLOCK_REL, 6, 0 };
		e->name = sr_intern(atoms, "openat", 6);
		e->nr = 257;
		e->split = 9;
		e->pad = 4;
		e->padcol = 36;
		e->nargs = 14;
		e->args = a = vals(b, 14);
		a[0] = (struct sr_value){ .kind = SR_V_FD, .text = S("/tmp/lab") };
		a[0].nkids = 1;
		a[0].kids = k = vals(b, 1);
		k[0] = (struct sr_value){ .kind = SR_V_IDENT, .text = S("AT_FDCWD") };
		a[1] = (struct sr_value){ .kind = SR_V_STR, .text = S("/etc/\n\0x"),
					  .flags = SR_VF_TRUNC };
		a[2] = (struct sr_value){ .kind = SR_V_INT, .base = SR_BASE_HEX,
					  .flags = SR_VF_UNSIGNED, .text = S("0x1f"), .num.u = 31 };
		a[3] = (struct sr_value){ .kind = SR_V_INT, .text = S("-0"), .num.i = 0 };
		a[4] = (struct sr_value){ .kind = SR_V_INT, .base = SR_BASE_OCT,
					  .flags = SR_VF_UNSIGNED, .num.u = 0644 }; /* no text */
		a[5] = (struct sr_value){ .kind = SR_V_INT, .num.i = INT64_MIN,
					  .text = S("-9223372036854775808"), .name = S("off") };
		a[6] = (struct sr_value){ .kind = SR_V_NULL };
		a[7] = (struct sr_value){ .kind = SR_V_ELLIPSIS };
		a[8] = (struct sr_value){ .kind = SR_V_SET, .flags = SR_VF_COMPLEMENT, .nkids = 2 };
		a[8].kids = k = vals(b, 2);
		k[0] = (struct sr_value){ .kind = SR_V_IDENT, .text = S("RTMIN") };
		k[1] = (struct sr_value){ .kind = SR_V_INT, .text = S("1"), .num.i = 1 };
		a[9] = (struct sr_value){ .kind = SR_V_STRUCT, .nkids = 2 };
		a[9].kids = k = vals(b, 2);
		k[0] = (struct sr_value){ .kind = SR_V_CALL, .text = S("makedev"),
					  .name = S("st_rdev") };
		k[1] = (struct sr_value){ .kind = SR_V_COMMENT, .text = S(" 3 entries "),
					  .name = S("") };
		a[10] = (struct sr_value){ .kind = SR_V_EXPR, .text = S("=="),
					   .flags = SR_VF_SPACED, .nkids = 2 };
		a[10].kids = k = vals(b, 2);
		k[0] = (struct sr_value){ .kind = SR_V_IDENT, .text = S("WIFEXITED(s)") };
		k[1] = (struct sr_value){ .kind = SR_V_INT, .text = S("0"), .num.i = 0 };
		/* irregular: a kind outside the model, an IDENT with a number */
		a[11] = (struct sr_value){ .kind = 200, .base = 7, .flags = 0xffff,
					   .text = S("odd"), .num.u = 99 };
		a[12] = (struct sr_value){ .kind = SR_V_IDENT, .text = S("X"), .num.u = 5 };
		a[13] = (struct sr_value){ .kind = SR_V_CHANGED, .flags = SR_VF_OLD_ARROW,
					   .nkids = 2 };
		a[13].kids = k = vals(b, 2);
		k[0] = (struct sr_value){ .kind = SR_V_INT, .text = S("+5"), .num.i = 5 };
		k[1] = (struct sr_value){ .kind = SR_V_INT, .flags = SR_VF_UNSIGNED,
					  .text = S("18446744073709551615"), .num.u = UINT64_MAX };
		e->has_ret = true;
		e->ret = vals(b, 1);
		*e->ret = (struct sr_value){ .kind = SR_V_FD, .text = S("/etc/passwd"),
					     .flags = SR_VF_DELETED, .nkids = 1 };
		e->ret->kids = k = vals(b, 1);
		k[0] = (struct sr_value){ .kind = SR_V_INT, .text = S("3"), .num.i = 3 };
		e->err = sr_intern(atoms, "ENOENT", 6);
		e->errmsg = S("No such file or directory");
		e->nnotes = 2;
		e->notes = notes = sr_arena_alloc(b->arena, 2 * sizeof(*notes));
		notes[0] = S("INJECTED");
		notes[1] = S("flags O_WRONLY");
		e->unavail = S("<unavailable>");
		e->natt = 3;
		e->att = at = sr_arena_alloc(b->arena, 3 * sizeof(*at));
		memset(at, 0, 3 * sizeof(*at));
		at[0] = (struct sr_attach){ .kind = SR_A_FRAME, .addr = 0xf8011, .offset = 0x51,
					    .text = { text, sizeof(text) - 1 } };
		at[0].module = (struct sr_str){ text + 3, 14 };
		at[0].symbol = S("__open64"); /* not a part of text */
		at[1] = (struct sr_attach){ .kind = SR_A_DUMP, .addr = 16, .bytes = S("\x7f" "ELF"),
					    .text = S(" | 00010  7f 45 4c 46 |") };
		at[2] = (struct sr_attach){ .kind = SR_A_OUTPUT, .addr = 12, .text = S("hi\nthere\n") };

		/* a summary row, times that lose nothing only when stored raw */
		e = sr_batch_push(b);
		e->kind = SR_E_SUMMARY;
		e->line = 1000 + (uint64_t)c;
		e->name = sr_intern(atoms, "read", 4);
		e->nr = 0;
		e->text = S(" 12.50    0.000100          10        10         2 read");
		e->sum = s = sr_arena_alloc(b->arena, sizeof(*s));
		memset(s, 0, sizeof(*s));
		s->row = SR_SUM_ROW;
		s->ncols = 6;
		s->col[0] = SR_SC_PCT;
		s->width[0] = 6;
		s->col[11] = 3;
		s->has = 0x1fe;
		s->pct = 12.5;
		s->seconds = 1e-4;
		s->max = -0.0;
		s->calls = 10;
		s->errors = 2;
		s->has_errors = true;
		e->lead.time = (struct sr_time){ -5, 1, SR_CLOCK_EPOCH, 3, 0 };
		e->lead.rel = (struct sr_time){ 1, 999999999, SR_CLOCK_REL, 12, 0 };
		e->duration = (struct sr_time){ 7, 0, 0, 0, 0 };

		/* the rest of the kinds */
		e = sr_batch_push(b);
		e->kind = SR_E_EXIT;
		e->code = -1 - c;
		e->padcol = 7; /* without a pad */
		e->lead.pid = 1;
		e->flags = SR_EF_NO_EOL;
		e = sr_batch_push(b);
		e->kind = SR_E_UNPARSED;
		e->text = S("@@ not a line of strace");
		e = sr_batch_push(b);
		e->kind = SR_E_SIGNAL;
		e->name = sr_intern(atoms, "SIGCHLD", 7);
		e->nargs = 1;
		e->args = vals(b, 1);
		e->args[0] = (struct sr_value){ .kind = SR_V_STRUCT };
		e->lead.pid = 1ll << 40;
		e->nr = 17;
		e = sr_batch_push(b);
		e->kind = SR_E__COUNT + 3; /* unknown kinds travel too */
		e->flags = 0xffff;
		e->lead.pid = -7;
	}
}

static void events_round_trip(const char *name, int copies, const char *block)
{
	struct sr_intern *atoms = sr_intern_new(), *atoms2 = sr_intern_new();
	const struct sr_writer_class *wc = sr_writer_find("archive");
	const struct sr_reader_class *rc = sr_reader_find("archive");
	struct sr_opt o[1] = { { "block", block } };
	struct sr_opts opts = { o, block ? 1 : 0 };
	struct sr_batch b, got;
	struct sr_writer *w;
	struct sr_reader *r;
	struct sr_sink *sink;
	struct sr_source *src;
	size_t i = 0;
	enum sr_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(wc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&got, atoms2), SR_OK);
	fill_model(&b, atoms, copies);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&sink, path_of(name), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(wc->open(&w, sink, &opts, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->write(w, &b, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->finish(w, NULL), SR_OK);
	wc->close(w);
	CU_ASSERT_EQUAL_FATAL(sr_sink_close(sink, NULL), SR_OK);

	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path_of(name), NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(rc->open(&r, src, NULL, NULL), SR_OK);
	do {
		struct sr_error err = { 0 };

		st = rc->next(r, &got, &err);
		if (st < 0)
			fprintf(stderr, "\n%s\n", err.msg);
		CU_ASSERT(st >= 0);
		for (size_t k = 0; k < got.n && st >= 0; k++, i++) {
			CU_ASSERT_FATAL(i < b.n);
			if (!event_eq(&b.ev[i], &got.ev[k])) {
				fprintf(stderr, "\nevent %zu differs\n", i);
				CU_FAIL("an event came back different");
			}
		}
	} while (st == SR_OK);
	CU_ASSERT_EQUAL(i, b.n);
	rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_batch_free(&got);
	sr_intern_free(atoms);
	sr_intern_free(atoms2);
}

static void every_field_of_the_model_comes_back(void)
{
	events_round_trip("model.sra", 1, NULL);
}

static void many_events_over_many_blocks_come_back(void)
{
	/* blocks of 5 and 6000 events: predictions restart at each block */
	events_round_trip("blocks5.sra", 1500, "5");
	events_round_trip("blocks6000.sra", 1500, "6000");
}

static void an_empty_trace_is_an_empty_archive(void)
{
	size_t n;
	char *p;

	write_file(path_of("empty.strace"), "", 0);
	CU_ASSERT_EQUAL(convert_file(path_of("empty.strace"), path_of("empty.sra"), "archive", NULL,
				NULL), SR_OK);
	CU_ASSERT_EQUAL(convert_file(path_of("empty.sra"), path_of("empty.out"), "strace", NULL, NULL),
			SR_OK);
	p = slurp(path_of("empty.out"), &n);
	CU_ASSERT_EQUAL(n, 0);
	free(p);
}

/* ---- the corpus, byte for byte ---------------------------------------------- */

static void check_corpus_file(const char *f, const struct sr_opts *fmt)
{
	struct sr_error err = { 0 };
	char *want, *got;
	size_t nw, ng;

	if (convert_file(f, path_of("c.sra"), "archive", fmt, &err) ||
	    convert_file(path_of("c.sra"), path_of("c.strace"), "strace", NULL, &err)) {
		fprintf(stderr, "\n%s: %s\n", f, err.msg);
		CU_FAIL("corpus conversion failed");
		return;
	}
	want = slurp(f, &nw);
	got = slurp(path_of("c.strace"), &ng);
	if (nw != ng || memcmp(want, got, nw)) {
		fprintf(stderr, "\n%s: not byte-identical after the archive\n", f);
		CU_FAIL("round trip through the archive differs");
	}
	free(want);
	free(got);
}

static void every_corpus_trace_comes_back_byte_for_byte(void)
{
	static const char *const pats[] = { "corpus/*.strace", "corpus/perpid/*",
					    "corpus/gen/*", "corpus/old/*.strace",
					    "corpus/flagsets/*.strace" };
	struct sr_opt o[1] = { { "block", "3" } }, nd[1] = { { "dict", "0" } };
	struct sr_opts small = { o, 1 }, nodict = { nd, 1 };
	size_t files = 0;

	for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++) {
		glob_t g;

		if (glob(pats[p], 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++, files++) {
			check_corpus_file(g.gl_pathv[i], NULL);
			check_corpus_file(g.gl_pathv[i], &small);
			check_corpus_file(g.gl_pathv[i], &nodict);
		}
		globfree(&g);
	}
	CU_ASSERT(files >= 20);
}

/* ---- damage ------------------------------------------------------------------ */

/* Reads an archive to its end: the status, err, and the events seen. */
static enum sr_status read_archive(const char *path, size_t *events, struct sr_error *err)
{
	const char *in = path;
	const struct sr_convert_opts opts = { .reader = sr_reader_find("archive") };
	struct sr_counts c = { 0 };
	enum sr_status st = sr_convert(&opts, &in, 1, NULL, NULL, &c, err);

	*events = c.events + c.unparsed;
	return st;
}

static char *small_archive(size_t *n, const char *block)
{
	struct sr_opt o[1] = { { "block", block } };
	struct sr_opts opts = { o, 1 };

	CU_ASSERT_EQUAL_FATAL(convert_file("corpus/signals-f-tt-T.strace", path_of("s.sra"), "archive",
				      &opts, NULL), SR_OK);
	return slurp(path_of("s.sra"), n);
}

static void a_cut_archive_fails_at_every_length(void)
{
	size_t n, events;
	char *a = small_archive(&n, "16");

	CU_ASSERT_FATAL(n > 100);
	for (size_t cut = 0; cut < n; cut++) {
		struct sr_error err = { 0 };
		enum sr_status st;

		write_file(path_of("cut.sra"), a, cut);
		st = read_archive(path_of("cut.sra"), &events, &err);
		CU_ASSERT(st < 0);
		if (st >= 0) {
			fprintf(stderr, "\ncut at %zu read as whole (%zu events)\n", cut, events);
			break;
		}
		CU_ASSERT(strstr(err.file, "cut.sra") != NULL);
		CU_ASSERT(strstr(err.msg, "byte") != NULL);
	}
	free(a);
}

/* A damaged byte is an error, or harmless: a bit zstd never looks at
 * (its checksum vouches for the rest).  Never a different trace. */
static void a_damaged_byte_is_an_error_or_harmless(void)
{
	size_t n, events, whole, nw, ng;
	char *a = small_archive(&n, "16"), *want, *got;
	struct sr_error err = { 0 };

	write_file(path_of("ok.sra"), a, n);
	CU_ASSERT_EQUAL_FATAL(read_archive(path_of("ok.sra"), &whole, &err), SR_OK);
	want = slurp("corpus/signals-f-tt-T.strace", &nw);
	for (size_t at = 0; at < n; at++) {
		enum sr_status st;

		a[at] ^= 0x04;
		write_file(path_of("bad.sra"), a, n);
		st = read_archive(path_of("bad.sra"), &events, &err);
		if (st >= 0) {
			CU_ASSERT_EQUAL(convert_file(path_of("bad.sra"), path_of("bad.strace"), "strace",
						NULL, NULL), SR_OK);
			got = slurp(path_of("bad.strace"), &ng);
			if (ng != nw || memcmp(got, want, nw)) {
				fprintf(stderr, "\nbyte %zu damaged read as another trace\n", at);
				CU_FAIL("damage went unnoticed");
			}
			free(got);
			a[at] ^= 0x04;
			continue;
		}
		CU_ASSERT(strstr(err.msg, "byte") != NULL || st == SR_ERR_FORMAT ||
			  st == SR_ERR_UNSUPPORTED);
		a[at] ^= 0x04;
	}
	free(want);
	free(a);
}

static void concatenated_archives_read_as_one(void)
{
	size_t n, events, one;
	char *a = small_archive(&n, "50"), *two = malloc(2 * n);
	struct sr_error err = { 0 };

	write_file(path_of("one.sra"), a, n);
	CU_ASSERT_EQUAL(read_archive(path_of("one.sra"), &one, &err), SR_OK);
	memcpy(two, a, n);
	memcpy(two + n, a, n);
	write_file(path_of("two.sra"), two, 2 * n);
	CU_ASSERT_EQUAL(read_archive(path_of("two.sra"), &events, &err), SR_OK);
	CU_ASSERT_EQUAL(events, 2 * one);
	/* garbage after the end mark is not ignored */
	memcpy(two + n, "junk", 4);
	write_file(path_of("junk.sra"), two, n + 4);
	CU_ASSERT_EQUAL(read_archive(path_of("junk.sra"), &events, &err), SR_ERR_PARSE);
	free(two);
	free(a);
}

/* The shipped dictionaries: a short trace's archive is smaller than zstd
 * -19 of its text.  corpus/perpid/ is held out of the dictionaries'
 * training (scripts/archive-dict.py), so this is not the training data. */
static void a_small_trace_is_smaller_than_zstd_19(void)
{
	glob_t g;

	CU_ASSERT_FATAL(glob("corpus/perpid/*", 0, NULL, &g) == 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t n, na, cap;
		char *text = slurp(g.gl_pathv[i], &n), *a, *z;
		size_t zn;

		cap = ZSTD_compressBound(n);
		z = malloc(cap);
		zn = ZSTD_compress(z, cap, text, n, 19);
		CU_ASSERT_FATAL(!ZSTD_isError(zn));
		CU_ASSERT_EQUAL_FATAL(convert_file(g.gl_pathv[i], path_of("p.sra"), "archive", NULL,
					      NULL), SR_OK);
		a = slurp(path_of("p.sra"), &na);
		CU_ASSERT(na < zn);
		if (na >= zn)
			fprintf(stderr, "\n%s: archive %zu bytes, zstd -19 %zu\n", g.gl_pathv[i], na,
				zn);
		free(a);
		free(z);
		free(text);
	}
	globfree(&g);
}

/* The header names the dictionary set; another set's archive is refused
 * with both ids, not decoded with the wrong dictionaries. */
static void another_dictionary_set_is_refused(void)
{
	size_t n, events;
	char *a = small_archive(&n, "16");
	struct sr_error err = { 0 };

	CU_ASSERT_FATAL(n > 14);
	CU_ASSERT_EQUAL(a[9], 0x03); /* SRA_F_DICT | SRA_F_LEAN */
	a[10] ^= 0x5a;
	write_file(path_of("other.sra"), a, n);
	CU_ASSERT_EQUAL(read_archive(path_of("other.sra"), &events, &err), SR_ERR_UNSUPPORTED);
	CU_ASSERT(strstr(err.msg, "dictionary set") != NULL);
	CU_ASSERT(strstr(err.msg, "this build has 0x") != NULL);
	free(a);
}

/* Archives are kept for years: one written by the first writer (flags 0:
 * no dictionaries, frames with magic and checksum; made by commit 2cec9e9
 * with -O block=40) still reads back to its trace byte for byte. */
static void a_first_format_archive_still_reads(void)
{
	size_t nw, ng;
	char *want, *got;

	CU_ASSERT_EQUAL_FATAL(convert_file("tests/data/signals-f-tt-T.v1-flags0.sra",
				      path_of("v1.strace"), "strace", NULL, NULL), SR_OK);
	want = slurp("corpus/signals-f-tt-T.strace", &nw);
	got = slurp(path_of("v1.strace"), &ng);
	CU_ASSERT(nw == ng && memcmp(want, got, nw) == 0);
	free(want);
	free(got);
}

/* Lean frames: a stream zstd does not shrink is stored as is; the block's
 * payload CRC then guards it (a flipped byte in it is an error). */
static uint64_t get_uv(const unsigned char **p)
{
	uint64_t v = 0;

	for (int shift = 0;; shift += 7) {
		unsigned char c = *(*p)++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (c < 0x80)
			return v;
	}
}

static void a_stored_stream_is_guarded_by_the_payload_crc(void)
{
	size_t n, events, off, stored = 0;
	char *a = small_archive(&n, "1");
	const unsigned char *p = (const unsigned char *)a + 15; /* after magic, version,
								 * flags, set id, 'B' */
	uint64_t ns, raw[16], comp[16];
	struct sr_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(a[14], 'B');
	get_uv(&p); /* events */
	ns = get_uv(&p);
	CU_ASSERT_EQUAL_FATAL(ns, 16);
	for (int i = 0; i < 16; i++) {
		raw[i] = get_uv(&p);
		comp[i] = get_uv(&p);
	}
	off = (size_t)(p - (const unsigned char *)a) + 8; /* payload crc, header crc */
	for (int i = 0; i < 16 && !stored; i++) {
		if (raw[i] && !comp[i])
			stored = off;
		off += comp[i] ? comp[i] : raw[i];
	}
	CU_ASSERT_FATAL(stored > 0 && stored < n);
	a[stored] ^= 0x20;
	write_file(path_of("one.sra"), a, n);
	CU_ASSERT_EQUAL(read_archive(path_of("one.sra"), &events, &err), SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, "payload checksum") != NULL);
	free(a);
}

static void a_bad_option_is_a_usage_error(void)
{
	struct sr_opt o[1] = { { "level", "99" } };
	struct sr_opts opts = { o, 1 };
	struct sr_error err = { 0 };

	CU_ASSERT_EQUAL(convert_file("corpus/ls-plain.strace", path_of("x.sra"), "archive", &opts, &err),
			SR_ERR_USAGE);
}

static CU_TestInfo cases[] = {
	{ "every field of the model comes back", every_field_of_the_model_comes_back },
	{ "many events over many blocks come back", many_events_over_many_blocks_come_back },
	{ "an empty trace is an empty archive", an_empty_trace_is_an_empty_archive },
	{ "every corpus trace comes back byte for byte",
	  every_corpus_trace_comes_back_byte_for_byte },
	{ "a cut archive fails at every length", a_cut_archive_fails_at_every_length },
	{ "a damaged byte is an error or harmless", a_damaged_byte_is_an_error_or_harmless },
	{ "concatenated archives read as one", concatenated_archives_read_as_one },
	{ "a bad option is a usage error", a_bad_option_is_a_usage_error },
	{ "a small trace is smaller than zstd -19", a_small_trace_is_smaller_than_zstd_19 },
	{ "another dictionary set is refused", another_dictionary_set_is_refused },
	{ "a first-format archive still reads", a_first_format_archive_still_reads },
	{ "a stored stream is guarded by the payload crc",
	  a_stored_stream_is_guarded_by_the_payload_crc },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_archive = {
	.name = "archive",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
