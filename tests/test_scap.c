/*
 * test_scap.c - the sysdig / Falco capture reader (formats/scap/in_scap.c).
 *
 * Small captures are built here block by block (section header, process
 * list, event blocks of both header versions), so each case shows the
 * bytes it is about; the real captures in corpus/scap/ are cut short at
 * many offsets to check that a broken capture is an error, never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "sr_test.h"
#include "sysrep.h"

extern const struct sr_reader_class sr_in_scap;

/* ------------------------------------------------------------------ */
/* Building captures                                                   */

struct cap {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct cap *c, const void *p, size_t n)
{
	if (c->len + n > c->cap) {
		c->cap = (c->len + n) * 2 + 64;
		c->p = realloc(c->p, c->cap);
		CU_ASSERT_FATAL(c->p != NULL);
	}
	memcpy(c->p + c->len, p, n);
	c->len += n;
}

static void u16(struct cap *c, uint16_t x) { put(c, &x, 2); }
static void u32(struct cap *c, uint32_t x) { put(c, &x, 4); }
static void u64(struct cap *c, uint64_t x) { put(c, &x, 8); }

/* Wraps body[0..n) in a block of type t: header, body, padding, trailer. */
static void block(struct cap *c, uint32_t t, const struct cap *body)
{
	uint32_t len = 12 + (uint32_t)((body->len + 3) & ~(size_t)3);
	static const unsigned char zero[4];

	u32(c, t);
	u32(c, len);
	put(c, body->p, body->len);
	put(c, zero, (4 - body->len % 4) % 4);
	u32(c, len);
}

static void shb(struct cap *c)
{
	struct cap b = { 0 };

	u32(&b, 0x1A2B3C4D);
	u16(&b, 1);
	u16(&b, 2);
	u64(&b, (uint64_t)-1);
	block(c, 0x0A0D0D0A, &b);
	free(b.p);
}

/* A parameter: bytes and their length. */
struct prm {
	const void *p;
	uint16_t n;
};

#define I64(x) ((struct prm){ &(int64_t){ (x) }, 8 })
#define U32(x) ((struct prm){ &(uint32_t){ (x) }, 4 })
#define U64P(x) ((struct prm){ &(uint64_t){ (x) }, 8 })
#define U8(x) ((struct prm){ &(uint8_t){ (x) }, 1 })
#define S(s) ((struct prm){ (s), sizeof(s) })

/* An event block: v2 (0x216, nparams in the header) or v1 (0x204). */
static void event(struct cap *c, bool v2, uint16_t type, uint64_t tid, uint64_t ts,
		  const struct prm *ps, uint32_t n)
{
	struct cap b = { 0 };
	uint32_t len = (v2 ? 26 : 22) + 2 * n, i;

	for (i = 0; i < n; i++)
		len += ps[i].n;
	u16(&b, 0); /* cpu */
	u64(&b, ts);
	u64(&b, tid);
	u32(&b, len);
	u16(&b, type);
	if (v2)
		u32(&b, n);
	for (i = 0; i < n; i++)
		u16(&b, ps[i].n);
	for (i = 0; i < n; i++)
		put(&b, ps[i].p, ps[i].n);
	block(c, v2 ? 0x216 : 0x204, &b);
	free(b.p);
}

#define EV(c, type, tid, ts, ...)                                                      \
	event(c, true, type, tid, ts, (const struct prm[]){ __VA_ARGS__ },             \
	      sizeof((const struct prm[]){ __VA_ARGS__ }) / sizeof(struct prm))

/* Process list V5 entry for one thread: tid, pid, comm and empty rest. */
static void proclist(struct cap *c, uint64_t tid, uint64_t pid, const char *comm)
{
	struct cap b = { 0 };
	int k;

	u64(&b, tid);
	u64(&b, pid);
	u64(&b, 1); /* ptid */
	u16(&b, (uint16_t)strlen(comm));
	put(&b, comm, strlen(comm));
	for (k = 0; k < 3; k++) /* exe, args, cwd */
		u16(&b, 0);
	u64(&b, 1024); /* fdlimit */
	u32(&b, 0);    /* flags */
	u32(&b, 0);    /* uid */
	u32(&b, 0);    /* gid */
	u32(&b, 0);
	u32(&b, 0);
	u32(&b, 0);
	u64(&b, 0);
	u64(&b, 0);
	u16(&b, 0); /* env */
	u64(&b, 0); /* vtid */
	u64(&b, 0); /* vpid */
	u16(&b, 0); /* cgroups */
	u16(&b, 0); /* root */
	block(c, 0x211, &b);
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

struct got {
	struct sr_intern *atoms;
	struct sr_batch b; /* the events of the whole input, in one batch's arena */
	struct sr_event *ev;
	size_t n;
	enum sr_status st;
	struct sr_error err;
	char path[64];
};

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(p, 1, n, f) == n);
	fclose(f);
}

/* Reads the capture p[0..n) to its end or first error; keeps every event
 * (arena kept alive by never resetting: one reader batch is copied at a
 * time into g->ev, which is fine for the small inputs here). */
static void read_cap(struct got *g, const void *p, size_t n)
{
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_batch b;
	enum sr_status st;
	int fd;

	memset(g, 0, sizeof(*g));
	strcpy(g->path, "/tmp/sr_scap_XXXXXX");
	fd = mkstemp(g->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	write_file(g->path, p, n);
	g->atoms = sr_intern_new();
	CU_ASSERT_FATAL(sr_batch_init(&b, g->atoms) == SR_OK);
	CU_ASSERT_FATAL(sr_source_open(&src, g->path, &g->err) == SR_OK);
	CU_ASSERT_FATAL(sr_in_scap.open(&r, src, NULL, &g->err) == SR_OK);
	for (;;) {
		st = sr_in_scap.next(r, &b, &g->err);
		if (st < 0 || (st == SR_END && b.n == 0))
			break;
		if (b.n == 0)
			continue;
		/* keep the batch: swap in a fresh one (the old arena stays) */
		g->ev = realloc(g->ev, (g->n + b.n) * sizeof(*g->ev));
		memcpy(g->ev + g->n, b.ev, b.n * sizeof(*g->ev));
		g->n += b.n;
		if (g->b.arena)
			sr_batch_free(&g->b);
		g->b = b;
		b.ev = NULL;
		b.n = b.cap = 0;
		CU_ASSERT_FATAL(sr_batch_init(&b, g->atoms) == SR_OK);
		if (st == SR_END)
			break;
	}
	g->st = st < 0 ? st : SR_OK;
	sr_in_scap.close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	unlink(g->path);
}

static void got_free(struct got *g)
{
	sr_batch_free(&g->b);
	free(g->ev);
	sr_intern_free(g->atoms);
}

static bool named(const struct sr_value *v, const char *name)
{
	return v->name.len == strlen(name) && !memcmp(v->name.ptr, name, v->name.len);
}

static bool is(const struct sr_atom *a, const char *s)
{
	return a && !strcmp(a->str, s);
}

/* ------------------------------------------------------------------ */
/* Cases                                                               */

static void probe_recognises_the_section_header(void)
{
	struct cap c = { 0 };

	shb(&c);
	CU_ASSERT(sr_in_scap.probe(c.p, c.len) == 100);
	c.p[8] ^= 1; /* byte-order magic */
	CU_ASSERT(sr_in_scap.probe(c.p, c.len) == 0);
	CU_ASSERT(sr_in_scap.probe("read(3, \"\", 1) = 0\n", 19) == 0);
	CU_ASSERT(sr_in_scap.probe(c.p, 4) == 0);
	c.p[8] ^= 1;
	CU_ASSERT(sr_reader_detect(c.p, c.len) == &sr_in_scap);
	free(c.p);
}

static void enter_and_exit_pair_into_one_call(void)
{
	struct cap c = { 0 };
	struct got g;
	const struct sr_event *e;

	shb(&c);
	proclist(&c, 100, 100, "cat");
	EV(&c, 2, 100, 1000000000123456789ull, S("/etc/passwd"), U32(1 << 0), U32(0));
	EV(&c, 3, 100, 1000000000123556789ull, I64(3), S("/etc/passwd"), U32(1 << 0), U32(0),
	   U32(0), I64(42));
	EV(&c, 6, 100, 1000000000200000000ull, I64(3), U32(64)); /* read */
	EV(&c, 7, 100, 1000000000200000100ull, I64(4), S("root"));
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	e = &g.ev[0];
	CU_ASSERT_EQUAL(e->kind, SR_E_SYSCALL);
	CU_ASSERT(is(e->name, "open"));
	CU_ASSERT_EQUAL(e->flags & (SR_EF_RESUMED | SR_EF_ORPHAN), 0);
	CU_ASSERT_EQUAL(e->lead.pid, 100);
	CU_ASSERT(e->lead.comm.len == 3 && !memcmp(e->lead.comm.ptr, "cat", 3));
	CU_ASSERT_EQUAL(e->lead.time.clock, SR_CLOCK_EPOCH);
	CU_ASSERT_EQUAL(e->lead.time.digits, 9);
	CU_ASSERT_EQUAL(e->lead.time.sec, 1000000000);
	CU_ASSERT_EQUAL(e->lead.time.nsec, 123456789);
	CU_ASSERT_EQUAL(e->duration.nsec, 100000);
	CU_ASSERT_EQUAL(e->line, 1);
	/* enter: name flags mode; exit adds dev ino (name, flags, mode kept once);
	 * named as strace names open's arguments: pathname flags mode */
	CU_ASSERT_EQUAL_FATAL(e->nargs, 5);
	CU_ASSERT(named(&e->args[0], "pathname") && e->args[0].kind == SR_V_STR);
	CU_ASSERT(e->args[0].text.len == 11 && !memcmp(e->args[0].text.ptr, "/etc/passwd", 11));
	CU_ASSERT(named(&e->args[1], "flags") && e->args[1].kind == SR_V_IDENT);
	CU_ASSERT(e->args[1].text.len == 8 && !memcmp(e->args[1].text.ptr, "O_RDONLY", 8));
	CU_ASSERT(named(&e->args[4], "ino") && e->args[4].num.i == 42);
	CU_ASSERT_FATAL(e->has_ret && e->ret);
	/* the fd returned, with its path as strace -y prints it */
	CU_ASSERT_EQUAL(e->ret->kind, SR_V_FD);
	CU_ASSERT(e->ret->nkids == 1 && e->ret->kids[0].num.i == 3);
	/* and the fd table names it in later calls */
	e = &g.ev[1];
	CU_ASSERT(is(e->name, "read"));
	CU_ASSERT_EQUAL(e->line, 3);
	CU_ASSERT_EQUAL_FATAL(e->nargs, 3);
	CU_ASSERT_EQUAL(e->args[0].kind, SR_V_FD);
	CU_ASSERT(e->args[0].text.len == 11);
	CU_ASSERT(e->ret && e->ret->num.i == 4);
	got_free(&g);
	free(c.p);
}

/* The arguments of calls in strace's order and under its names (issue 16):
 * sysdig's access is (mode, name), read's buffer is "data" after the fd,
 * pipe's fds are two parameters, pread is pread64, dup's fd comes twice. */
static void arguments_in_straces_order(void)
{
	struct cap c = { 0 };
	struct got g;
	const struct sr_event *e;

	shb(&c);
	EV(&c, 264, 7, 10, U32(1 << 1));                           /* access > mode=R_OK */
	EV(&c, 265, 7, 11, I64(0), S("/etc/hosts"), U32(1 << 1)); /* < res name mode */
	EV(&c, 6, 7, 20, I64(0), U32(64));                        /* read > fd size */
	EV(&c, 7, 7, 21, I64(2), S("hi"));                        /* < res data */
	EV(&c, 60, 7, 30);                                        /* pipe > */
	EV(&c, 61, 7, 31, I64(0), I64(3), I64(4), U64P(99));      /* < res fd1 fd2 ino */
	EV(&c, 112, 7, 40, I64(3), U32(8), U64P(16));             /* pread > fd size pos */
	EV(&c, 113, 7, 41, I64(1), S("x"));                       /* < res data */
	EV(&c, 366, 7, 50, I64(3));                               /* dup > fd */
	EV(&c, 367, 7, 51, I64(5), I64(3));                       /* < res oldfd */
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 5);
	e = &g.ev[0];
	CU_ASSERT(is(e->name, "access"));
	CU_ASSERT_EQUAL_FATAL(e->nargs, 2);
	CU_ASSERT(named(&e->args[0], "pathname") && e->args[0].kind == SR_V_STR);
	CU_ASSERT(named(&e->args[1], "mode"));
	e = &g.ev[1];
	CU_ASSERT(is(e->name, "read"));
	CU_ASSERT_EQUAL_FATAL(e->nargs, 3);
	CU_ASSERT(named(&e->args[0], "fd"));
	CU_ASSERT(named(&e->args[1], "buf") && e->args[1].kind == SR_V_STR);
	CU_ASSERT(named(&e->args[2], "count") && e->args[2].num.i == 64);
	e = &g.ev[2];
	CU_ASSERT(is(e->name, "pipe"));
	CU_ASSERT_EQUAL_FATAL(e->nargs, 2);
	CU_ASSERT(named(&e->args[0], "pipefd") && e->args[0].kind == SR_V_ARRAY);
	CU_ASSERT_EQUAL_FATAL(e->args[0].nkids, 2);
	CU_ASSERT(e->args[0].kids[0].name.len == 0 && e->args[0].kids[1].name.len == 0);
	CU_ASSERT(sr_value_int(&e->args[0].kids[0]) && sr_value_int(&e->args[0].kids[0])->num.i == 3);
	CU_ASSERT(sr_value_int(&e->args[0].kids[1]) && sr_value_int(&e->args[0].kids[1])->num.i == 4);
	CU_ASSERT(named(&e->args[1], "ino")); /* what strace does not print: after */
	e = &g.ev[3];
	CU_ASSERT(is(e->name, "pread64"));
	CU_ASSERT_EQUAL_FATAL(e->nargs, 4);
	CU_ASSERT(named(&e->args[0], "fd") && named(&e->args[1], "buf") &&
		  named(&e->args[2], "count") && named(&e->args[3], "offset"));
	CU_ASSERT(e->args[3].num.i == 16);
	e = &g.ev[4];
	CU_ASSERT(is(e->name, "dup"));
	CU_ASSERT_EQUAL_FATAL(e->nargs, 1); /* the exit's oldfd is the enter's fd again */
	CU_ASSERT(named(&e->args[0], "oldfd"));
	got_free(&g);
	free(c.p);
}

static void interleaved_threads_give_unfinished_and_resumed(void)
{
	struct cap c = { 0 };
	struct got g;

	shb(&c);
	EV(&c, 6, 1, 10, I64(0), U32(8));  /* read > tid 1 */
	EV(&c, 6, 2, 11, I64(5), U32(8));  /* read > tid 2 */
	EV(&c, 7, 1, 12, I64(2), S("ab")); /* read < tid 1 */
	EV(&c, 7, 2, 13, I64(-11), S("")); /* read < tid 2: EAGAIN */
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 4);
	CU_ASSERT(g.ev[0].kind == SR_E_UNFINISHED && g.ev[0].lead.pid == 1);
	CU_ASSERT(g.ev[0].nargs == 2 && (g.ev[0].flags & SR_EF_SEP_CUT));
	CU_ASSERT(g.ev[1].kind == SR_E_UNFINISHED && g.ev[1].lead.pid == 2);
	CU_ASSERT(g.ev[2].kind == SR_E_SYSCALL && g.ev[2].lead.pid == 1);
	CU_ASSERT(g.ev[2].flags & SR_EF_RESUMED);
	CU_ASSERT_EQUAL(g.ev[2].nargs, 3);
	CU_ASSERT_EQUAL(g.ev[2].start.nsec, 10);
	CU_ASSERT_EQUAL(g.ev[2].lead.time.nsec, 12);
	CU_ASSERT_EQUAL(g.ev[2].line, 3);
	/* "read(fd=0, count=8, " is what the marker printed: a resumed call
	 * keeps the enter's arguments first, then buf */
	CU_ASSERT_EQUAL(g.ev[2].split, strlen("read(fd=0, count=8, "));
	CU_ASSERT(named(&g.ev[2].args[1], "count") && named(&g.ev[2].args[2], "buf"));
	CU_ASSERT(g.ev[3].kind == SR_E_SYSCALL && (g.ev[3].flags & SR_EF_RESUMED));
	CU_ASSERT(is(g.ev[3].err, "EAGAIN"));
	CU_ASSERT(g.ev[3].ret && g.ev[3].ret->num.i == -1);
	got_free(&g);
	free(c.p);
}

static void unmatched_halves_are_kept(void)
{
	struct cap c = { 0 };
	struct got g;

	shb(&c);
	EV(&c, 5, 7, 20, I64(0), I64(3)); /* close < with no enter */
	EV(&c, 4, 7, 21, I64(4));	 /* close > with no exit */
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	CU_ASSERT(g.ev[0].kind == SR_E_SYSCALL && (g.ev[0].flags & SR_EF_ORPHAN));
	CU_ASSERT(is(g.ev[0].name, "close") && g.ev[0].has_ret);
	CU_ASSERT_EQUAL(g.ev[0].split, strlen("close("));
	CU_ASSERT(g.ev[1].kind == SR_E_UNFINISHED && g.ev[1].nargs == 1);
	CU_ASSERT_EQUAL(g.ev[1].line, 2);
	got_free(&g);
	free(c.p);
}

static void unknown_types_keep_their_bytes(void)
{
	struct cap c = { 0 };
	struct got g;

	shb(&c);
	EV(&c, 1000, 9, 30, S("xyz"), U8(7));
	/* a v1 event of an unknown type: lengths cannot be split, one raw blob */
	event(&c, false, 1001, 9, 31, (const struct prm[]){ S("q") }, 1);
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	CU_ASSERT(is(g.ev[0].name, "scap_1000"));
	CU_ASSERT_EQUAL_FATAL(g.ev[0].nargs, 2);
	CU_ASSERT(g.ev[0].args[0].kind == SR_V_STR && g.ev[0].args[0].text.len == 4);
	CU_ASSERT(g.ev[0].args[1].kind == SR_V_STR && g.ev[0].args[1].text.len == 1);
	CU_ASSERT(is(g.ev[1].name, "scap_1001"));
	CU_ASSERT_EQUAL_FATAL(g.ev[1].nargs, 1);
	CU_ASSERT_EQUAL(g.ev[1].args[0].text.len, 2 + 2);
	got_free(&g);
	free(c.p);
}

static void old_header_derives_the_parameter_count(void)
{
	struct cap c = { 0 };
	struct got g;

	shb(&c);
	/* close > in the v1 layout: no nparams in the header */
	event(&c, false, 4, 3, 40, (const struct prm[]){ I64(5) }, 1);
	event(&c, false, 5, 3, 41, (const struct prm[]){ I64(0) }, 1);
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 1);
	CU_ASSERT(is(g.ev[0].name, "close"));
	CU_ASSERT(g.ev[0].nargs == 1 && g.ev[0].args[0].num.i == 5);
	CU_ASSERT(g.ev[0].ret && g.ev[0].ret->num.i == 0);
	got_free(&g);
	free(c.p);
}

static void process_exit_and_signals_are_events(void)
{
	struct cap c = { 0 };
	struct got g;

	shb(&c);
	EV(&c, 232, 5, 50, I64(1), I64(5), U8(17));		    /* signaldeliver */
	EV(&c, 186, 5, 51, I64(3 << 8), I64(3), U8(0), U8(0), I64(1)); /* procexit */
	EV(&c, 186, 6, 52, I64(9), I64(0), U8(9), U8(0), I64(1));
	EV(&c, 234, 6, 53, I64(1), I64(2)); /* procinfo */
	read_cap(&g, c.p, c.len);
	CU_ASSERT_EQUAL_FATAL(g.st, SR_OK);
	CU_ASSERT_EQUAL_FATAL(g.n, 4);
	CU_ASSERT(g.ev[0].kind == SR_E_SIGNAL && is(g.ev[0].name, "SIGCHLD"));
	CU_ASSERT(g.ev[0].nargs == 1 && g.ev[0].args[0].kind == SR_V_STRUCT);
	CU_ASSERT(g.ev[1].kind == SR_E_EXIT && g.ev[1].code == 3);
	CU_ASSERT(g.ev[2].kind == SR_E_KILLED && is(g.ev[2].name, "SIGKILL"));
	CU_ASSERT(g.ev[3].kind == SR_E_MESSAGE);
	CU_ASSERT(g.ev[3].text.len == strlen("procinfo cpu_usr=1 cpu_sys=2") &&
		  !memcmp(g.ev[3].text.ptr, "procinfo cpu_usr=1 cpu_sys=2", g.ev[3].text.len));
	got_free(&g);
	free(c.p);
}

/* Expects SR_ERR_PARSE with "at byte N: expected". */
static void expect_parse_error(const void *p, size_t n)
{
	struct got g;

	read_cap(&g, p, n);
	CU_ASSERT_EQUAL(g.st, SR_ERR_PARSE);
	CU_ASSERT(strstr(g.err.msg, "at byte ") != NULL);
	CU_ASSERT(strstr(g.err.msg, "expected") != NULL);
	if (g.st != SR_ERR_PARSE)
		fprintf(stderr, "\n  no parse error at cut %zu: %s\n", n, g.err.msg);
	got_free(&g);
}

static void corrupt_blocks_are_parse_errors(void)
{
	struct cap c = { 0 };
	size_t at;

	shb(&c);
	at = c.len;
	EV(&c, 4, 1, 1, I64(1));
	c.p[c.len - 1] ^= 0x40; /* trailer */
	expect_parse_error(c.p, c.len);
	c.p[c.len - 1] ^= 0x40;
	c.p[at + 8 + 2 + 16] = 0xff; /* event length beyond the block */
	expect_parse_error(c.p, c.len);
	c.p[8] = 0; /* byte-order magic */
	expect_parse_error(c.p, c.len);
	expect_parse_error(c.p, 0); /* empty */
	expect_parse_error("abcdefghijklmnop", 16);
	free(c.p);
}

static bool load_corpus(const char *name, struct cap *c)
{
	char path[256], buf[65536];
	gzFile z;
	int k;

	snprintf(path, sizeof(path), "corpus/scap/%s", name);
	z = gzopen(path, "rb");
	if (!z)
		return false;
	while ((k = gzread(z, buf, sizeof(buf))) > 0)
		put(c, buf, (size_t)k);
	gzclose(z);
	return c->len > 0;
}

static void corpus_captures_read_whole(void)
{
	static const struct {
		const char *name;
		size_t events;
	} want[] = {
		{ "curl_google.scap", 952 },
		{ "curl_google_comments.scap", 954 },
		{ "single_ipv6_conn.scap", 1716 },
		{ "test_ipv6_client.scap", 294 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct cap c = { 0 };
		struct got g;

		if (!load_corpus(want[i].name, &c)) {
			CU_FAIL("corpus/scap capture missing");
			continue;
		}
		read_cap(&g, c.p, c.len);
		CU_ASSERT_EQUAL(g.st, SR_OK);
		CU_ASSERT_EQUAL(g.n, want[i].events);
		got_free(&g);
		free(c.p);
	}
}

/* Every capture, cut inside many of its blocks: an error, no crash. */
static void truncated_captures_fail_cleanly(void)
{
	static const char *const names[] = { "curl_google.scap", "curl_google_comments.scap",
					     "single_ipv6_conn.scap", "test_ipv6_client.scap" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct cap c = { 0 };
		size_t off = 0, nb = 0;

		if (!load_corpus(names[i], &c)) {
			CU_FAIL("corpus/scap capture missing");
			continue;
		}
		/* walk the blocks; cut every 97th one at its start + 3, its
		 * middle and one byte before its end */
		while (off + 8 <= c.len) {
			uint32_t len;

			memcpy(&len, c.p + off + 4, 4);
			if (len < 12 || off + len > c.len)
				break;
			if (nb++ % 97 == 0 || nb < 4) {
				expect_parse_error(c.p, off + 3);
				expect_parse_error(c.p, off + len / 2);
				expect_parse_error(c.p, off + len - 1);
			}
			off += len;
		}
		CU_ASSERT_EQUAL(off, c.len);
		free(c.p);
	}
}

/* Random byte flips in a real capture: any status, but no crash and no
 * read outside the input (run under ASan to see the latter). */
static void flipped_bytes_never_crash(void)
{
	struct cap c = { 0 };
	uint32_t seed = 12345;

	if (!load_corpus("test_ipv6_client.scap", &c)) {
		CU_FAIL("corpus/scap capture missing");
		return;
	}
	for (int i = 0; i < 150; i++) {
		unsigned char *d = malloc(c.len);
		struct got g;

		CU_ASSERT_FATAL(d != NULL);
		memcpy(d, c.p, c.len);
		for (int k = 0; k < 1 + i % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			d[(seed >> 8) % c.len] ^= (unsigned char)(1u << (seed >> 28) % 8);
		}
		read_cap(&g, d, c.len);
		CU_ASSERT(g.st == SR_OK || g.st == SR_ERR_PARSE || g.st == SR_ERR_UNSUPPORTED);
		got_free(&g);
		free(d);
	}
	free(c.p);
}

static CU_TestInfo cases[] = {
	{ "probe recognises the section header and byte-order magic",
	  probe_recognises_the_section_header },
	{ "enter and exit of a thread pair into one call", enter_and_exit_pair_into_one_call },
	{ "arguments in strace's order and under its names", arguments_in_straces_order },
	{ "interleaved threads give unfinished markers and resumed calls",
	  interleaved_threads_give_unfinished_and_resumed },
	{ "an exit without enter is an orphan, an enter without exit unfinished",
	  unmatched_halves_are_kept },
	{ "unknown event types keep their parameters as bytes", unknown_types_keep_their_bytes },
	{ "old event headers derive the parameter count", old_header_derives_the_parameter_count },
	{ "process exits, signals and other events are kept", process_exit_and_signals_are_events },
	{ "corrupt blocks are parse errors naming the byte offset",
	  corrupt_blocks_are_parse_errors },
	{ "corpus captures read to the end", corpus_captures_read_whole },
	{ "truncated captures fail cleanly with a parse error", truncated_captures_fail_cleanly },
	{ "flipped bytes never crash the reader", flipped_bytes_never_crash },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_scap = { .name = "scap", .cases = cases };
