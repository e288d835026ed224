/*
 * test_pb.c - the Protocol Buffers writer and reader (formats/pb/out_pb.c,
 * formats/pb/in_pb.c): hand-built events through a file and back, field by
 * field; the stream's framing and magic; cut and corrupt streams
 * (tests/wire_test.h has the cases); the semantic record (Event.sem_args,
 * sem_return, sem_info) decoded with protobuf-c from the schema.
 */
#include "sysrep.pb-c.h"
#include "wire_test.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_pb;
extern const struct sr_reader_class sr_in_pb;

/* varint length, field 1 (LEN), 9 bytes of magic */
static void pb_head(const unsigned char *head, size_t n)
{
	(void)n;
	CU_ASSERT(head[0] < 0x80 && head[1] == 0x0a && head[2] == 9);
	CU_ASSERT(memcmp(head + 3, "sysrep.pb", 9) == 0);
}

static const struct wt_format pb = {
	.wc = &sr_out_pb,
	.rc = &sr_in_pb,
	.head_min = 12,
	.head = pb_head,
	.not_mine = "execve(\"/bin/true\") = 0\n",
	.n_not_mine = 24,
	.empty = "byte=0: expected the Header message",
	/* length 2, field 5 (name_ref, VARINT) = 5 */
	.bad_ref = "\x02\x28\x05",
	.n_bad_ref = 3,
};

/* ------------------------------------------------------------------ */
/* The semantic record                                                 */

/* A call, a call whose return is "= ?", a signal and a call of no known
 * signature, built by hand. */
static void sem_build(struct wt *t)
{
	struct sr_event *ev;
	struct sr_value *a;

	t->arena = sr_arena_new(0);
	t->atoms = sr_intern_new();
	CU_ASSERT_FATAL(t->arena && t->atoms && sr_batch_init(&t->in, t->atoms) == SR_OK);

	/* openat(AT_FDCWD, "/etc/x\377", O_RDONLY|O_CLOEXEC) = 3 */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SYSCALL;
	ev->line = 1;
	ev->lead.pid = -1;
	ev->name = wt_atom(t, "openat");
	ev->nr = 257;
	ev->nargs = 3;
	ev->args = a = wt_vals(t, 6);
	wt_ident(t, &a[0], "AT_FDCWD");
	a[1].kind = SR_V_STR;
	a[1].text = WT_S(t, "/etc/x\377");
	a[2].kind = SR_V_FLAGS;
	a[2].nkids = 2;
	a[2].kids = &a[4];
	wt_ident(t, &a[4], "O_RDONLY");
	wt_ident(t, &a[5], "O_CLOEXEC");
	ev->has_ret = true;
	ev->ret = &a[3];
	wt_int(t, &a[3], SR_BASE_DEC, 0, 3, "3");

	/* read(3, "ab"..., 10) = ? */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SYSCALL;
	ev->line = 2;
	ev->lead.pid = -1;
	ev->name = wt_atom(t, "read");
	ev->nr = 0;
	ev->nargs = 3;
	ev->args = a = wt_vals(t, 3);
	wt_int(t, &a[0], SR_BASE_DEC, 0, 3, "3");
	a[1].kind = SR_V_STR;
	a[1].flags = SR_VF_TRUNC;
	a[1].text = WT_S(t, "ab");
	wt_int(t, &a[2], SR_BASE_DEC, 0, 10, "10");
	ev->has_ret = true;

	/* --- SIGCHLD {si_signo=SIGCHLD, si_pid=7} --- */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SIGNAL;
	ev->line = 3;
	ev->lead.pid = -1;
	ev->name = wt_atom(t, "SIGCHLD");
	ev->nr = -1;
	ev->nargs = 1;
	ev->args = a = wt_vals(t, 3);
	a[0].kind = SR_V_STRUCT;
	a[0].nkids = 2;
	a[0].kids = &a[1];
	wt_ident(t, &a[1], "SIGCHLD");
	a[1].name = WT_S(t, "si_signo");
	wt_int(t, &a[2], SR_BASE_DEC, 0, 7, "7");
	a[2].name = WT_S(t, "si_pid");
}

/* Writes t->in with the pb writer and options o (NULL: none). */
static void sem_write(struct wt *t, const struct sr_opts *o)
{
	struct sr_sink *sink;
	struct sr_writer *w;
	struct sr_error err = { 0 };
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/sysrep-pbsem-XXXXXX");
	fd = mkstemp(t->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(sr_sink_open(&sink, t->path, &err) == SR_OK);
	CU_ASSERT_FATAL(sr_out_pb.open(&w, sink, o, &err) == SR_OK);
	CU_ASSERT(sr_out_pb.write(w, &t->in, &err) == SR_OK);
	CU_ASSERT(sr_out_pb.finish(w, &err) == SR_OK);
	sr_out_pb.close(w);
	CU_ASSERT(sr_sink_close(sink, &err) == SR_OK);
}

/* The stream's events unpacked by protobuf-c (up to max), and its string
 * table, from file path; returns the count. */
static size_t sem_read(const char *path, Sysrep__Event **evs, size_t max, char **table,
		       size_t *ntable)
{
	static unsigned char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t len, pos = 0, n = 0, i;
	bool header = true;

	CU_ASSERT_FATAL(f != NULL);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	*ntable = 0;
	while (pos < len) {
		uint64_t size = 0;
		unsigned int shift = 0;

		while (buf[pos] & 0x80)
			size |= (uint64_t)(buf[pos++] & 0x7f) << shift, shift += 7;
		size |= (uint64_t)buf[pos++] << shift;
		CU_ASSERT_FATAL(pos + size <= len);
		if (!header) {
			CU_ASSERT_FATAL(n < max);
			evs[n] = sysrep__event__unpack(NULL, size, buf + pos);
			CU_ASSERT_FATAL(evs[n] != NULL);
			for (i = 0; i < evs[n]->n_strings; i++) {
				CU_ASSERT_FATAL(*ntable < 64);
				table[*ntable] = calloc(1, evs[n]->strings[i].len + 1);
				memcpy(table[(*ntable)++], evs[n]->strings[i].data,
				       evs[n]->strings[i].len);
			}
			n++;
		}
		header = false;
		pos += size;
	}
	return n;
}

static const Sysrep__SValue *member(const Sysrep__SValue *o, const char *key)
{
	size_t i;

	if (o->v_case != SYSREP__SVALUE__V_OBJECT)
		return NULL;
	for (i = 0; i < o->object->n_v; i++)
		if (!strcmp(o->object->v[i]->key, key))
			return o->object->v[i];
	return NULL;
}

/* A string value: inline, or through the table. */
static bool sem_str_is(const Sysrep__SValue *s, char **table, size_t ntable, const char *want,
		       size_t n)
{
	if (s->v_case == SYSREP__SVALUE__V_TEXT)
		return strlen(s->text) == n && !memcmp(s->text, want, n);
	if (s->v_case == SYSREP__SVALUE__V_RAW)
		return s->raw.len == n && !memcmp(s->raw.data, want, n);
	if (s->v_case == SYSREP__SVALUE__V_TEXT_REF)
		return s->text_ref >= 1 && s->text_ref <= ntable &&
		       strlen(table[s->text_ref - 1]) == n && !memcmp(table[s->text_ref - 1], want, n);
	return false;
}

static void the_semantic_record_is_in_the_schema(void)
{
	struct wt t = { 0 };
	Sysrep__Event *evs[8];
	char *table[64];
	size_t n, ntable, i;
	const Sysrep__SValue *s, *k;

	sem_build(&t);
	sem_write(&t, NULL);
	n = sem_read(t.path, evs, 8, table, &ntable);
	CU_ASSERT_FATAL(n == 3);

	/* openat: names in signature order, typed values */
	CU_ASSERT_FATAL(evs[0]->n_sem_args == 3);
	CU_ASSERT_STRING_EQUAL(evs[0]->sem_args[0]->key, "dirfd");
	CU_ASSERT_STRING_EQUAL(evs[0]->sem_args[1]->key, "pathname");
	CU_ASSERT_STRING_EQUAL(evs[0]->sem_args[2]->key, "flags");
	s = evs[0]->sem_args[0];
	k = member(s, "fd");
	CU_ASSERT(k && k->v_case == SYSREP__SVALUE__V_INTEGER && k->integer == -100);
	k = member(s, "name");
	CU_ASSERT(k && sem_str_is(k, table, ntable, "AT_FDCWD", 8));
	/* not UTF-8: the bytes, never a protobuf string */
	s = evs[0]->sem_args[1];
	CU_ASSERT(s->v_case == SYSREP__SVALUE__V_RAW || s->v_case == SYSREP__SVALUE__V_TEXT_REF);
	CU_ASSERT(sem_str_is(s, table, ntable, "/etc/x\377", 7));
	CU_ASSERT(!s->truncated);
	s = evs[0]->sem_args[2];
	k = member(s, "value");
	CU_ASSERT(k && k->v_case == SYSREP__SVALUE__V_INTEGER && k->integer == 02000000);
	k = member(s, "names");
	CU_ASSERT_FATAL(k && k->v_case == SYSREP__SVALUE__V_ARRAY && k->array->n_v == 2);
	CU_ASSERT(sem_str_is(k->array->v[0], table, ntable, "O_RDONLY", 8));
	CU_ASSERT(sem_str_is(k->array->v[1], table, ntable, "O_CLOEXEC", 9));
	/* an fd-returning call: {"fd":3} */
	CU_ASSERT_FATAL(evs[0]->sem_return != NULL);
	k = member(evs[0]->sem_return, "fd");
	CU_ASSERT(k && k->v_case == SYSREP__SVALUE__V_INTEGER && k->integer == 3);
	CU_ASSERT_PTR_NULL(evs[0]->sem_info);

	/* read: a cut string is marked; "= ?" is a null return */
	CU_ASSERT_FATAL(evs[1]->n_sem_args == 3);
	CU_ASSERT_STRING_EQUAL(evs[1]->sem_args[1]->key, "buf");
	CU_ASSERT(evs[1]->sem_args[1]->truncated);
	CU_ASSERT(sem_str_is(evs[1]->sem_args[1], table, ntable, "ab", 2));
	CU_ASSERT(evs[1]->sem_args[2]->v_case == SYSREP__SVALUE__V_INTEGER &&
		  evs[1]->sem_args[2]->integer == 10);
	CU_ASSERT_FATAL(evs[1]->sem_return != NULL);
	CU_ASSERT(evs[1]->sem_return->v_case == SYSREP__SVALUE__V_NULL);

	/* a signal: its siginfo, no args, no return */
	CU_ASSERT(evs[2]->n_sem_args == 0);
	CU_ASSERT_PTR_NULL(evs[2]->sem_return);
	CU_ASSERT_FATAL(evs[2]->sem_info != NULL);
	k = member(evs[2]->sem_info, "si_pid");
	CU_ASSERT(k && k->v_case == SYSREP__SVALUE__V_INTEGER && k->integer == 7);
	k = member(evs[2]->sem_info, "si_signo");
	CU_ASSERT(k && member(k, "name") && sem_str_is(member(k, "name"), table, ntable,
						       "SIGCHLD", 7));

	for (i = 0; i < n; i++)
		sysrep__event__free_unpacked(evs[i], NULL);
	for (i = 0; i < ntable; i++)
		free(table[i]);
	wt_free(&t);
}

static void record_spelling_leaves_it_out(void)
{
	struct wt t = { 0 };
	struct sr_opt o = { "record", "spelling" };
	struct sr_opts opts = { &o, 1 };
	struct sr_opt bad = { "record", "named" };
	struct sr_opts bad_opts = { &bad, 1 };
	struct sr_sink *sink;
	struct sr_writer *w = NULL;
	struct sr_error err = { 0 };
	Sysrep__Event *evs[8];
	char *table[64];
	size_t n, ntable, i;

	sem_build(&t);
	sem_write(&t, &opts);
	n = sem_read(t.path, evs, 8, table, &ntable);
	CU_ASSERT_FATAL(n == 3);
	for (i = 0; i < n; i++) {
		CU_ASSERT(evs[i]->n_sem_args == 0);
		CU_ASSERT_PTR_NULL(evs[i]->sem_return);
		CU_ASSERT_PTR_NULL(evs[i]->sem_info);
		/* the spelled fields are all there */
		CU_ASSERT(evs[i]->n_args == t.in.ev[i].nargs);
		sysrep__event__free_unpacked(evs[i], NULL);
	}
	for (i = 0; i < ntable; i++)
		free(table[i]);

	/* and the reader gives the same events either way */
	sem_write(&t, NULL);
	CU_ASSERT(wt_read(&t, &sr_in_pb, t.path, true, &n, &err) == SR_END);
	CU_ASSERT(n == 3);

	CU_ASSERT_FATAL(sr_sink_open(&sink, t.path, &err) == SR_OK);
	CU_ASSERT(sr_out_pb.open(&w, sink, &bad_opts, &err) == SR_ERR_USAGE);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT(strstr(err.msg, "record=named") != NULL);
	sr_sink_close(sink, NULL);
	wt_free(&t);
}

/* The reader skips the semantic fields that end a message, and reads a
 * message whose semantic fields come before others (another writer's
 * order) whole. */
static void the_reader_skips_the_semantic_record(void)
{
	/* an Event: sem_args {key: "x", null: true}, then name "read" */
	static const unsigned char ev[] = { 15,   0xd2, 0x01, 5,   0x0a, 1,   'x', 0x10,
					    0x01, 0x8a, 0x01, 4,   'r',  'e', 'a', 'd' };
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	struct sr_batch b;
	struct sr_reader *r;
	struct sr_source *src;
	size_t n = 0;
	FILE *f;

	sem_build(&t);
	sem_write(&t, NULL);
	/* the writer's messages end with their semantic fields */
	CU_ASSERT(wt_read(&t, &sr_in_pb, t.path, true, &n, &err) == SR_END);
	CU_ASSERT(n == 3);
	f = fopen(t.path, "ab");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(ev, 1, sizeof(ev), f) == sizeof(ev));
	fclose(f);
	CU_ASSERT_FATAL(sr_batch_init(&b, t.atoms) == SR_OK);
	CU_ASSERT_FATAL(sr_source_open(&src, t.path, &err) == SR_OK);
	CU_ASSERT_FATAL(sr_in_pb.open(&r, src, NULL, &err) == SR_OK);
	CU_ASSERT(sr_in_pb.next(r, &b, &err) == SR_OK);
	CU_ASSERT_FATAL(b.n == 4);
	CU_ASSERT(b.ev[3].name && b.ev[3].name->len == 4 && !memcmp(b.ev[3].name->str, "read", 4));
	CU_ASSERT(b.ev[3].kind == SR_E_SYSCALL && b.ev[3].nargs == 0);
	sr_in_pb.close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	wt_free(&t);
}

#define PB_MORE \
	{ "the semantic record is in the schema", the_semantic_record_is_in_the_schema }, \
	{ "record=spelling leaves it out", record_spelling_leaves_it_out }, \
	{ "the reader skips the semantic record", the_reader_skips_the_semantic_record },

WT_CASES_AND(pb, PB_MORE);

const struct sr_test_suite sr_suite_pb = { .name = "pb", .cases = cases };
