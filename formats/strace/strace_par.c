/*
 * strace_par.c - one strace text file parsed on several threads, with the
 * output identical to the single-threaded reader's.
 *
 * The calling thread reads the input and cuts it into chunks at line
 * boundaries (never before an attachment line, preferably not right after
 * an "<unfinished ...>" line).  Worker threads parse each chunk into its own
 * batch as if it were a whole file, starting from an empty table of cut
 * calls, and record every operation on that table (struct sr_pop).  The
 * calling thread then takes the chunks in input order and replays those
 * records onto one sequential reader, which therefore holds, chunk after
 * chunk, exactly the table the single-threaded reader would hold.  Where a
 * resumption would have matched a different cut call than the worker's
 * empty start allowed (a call cut in an earlier chunk), the line is parsed
 * again against the real table; that is a handful of lines per chunk.  When
 * a chunk ends in a state the records cannot carry (a cut line that a -z
 * tail may continue, a line a message or the program's output split, a -c
 * table header), the next chunk is parsed by the sequential reader itself.
 * Either way every event is the one the sequential reader would make.
 *
 * Memory: SLOTS chunks in flight, each with its batch.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "strace_internal.h"
#include "strace_par.h"

enum slot_state { SLOT_FREE, SLOT_FILLED, SLOT_DONE };

struct slot {
	char *buf;                 /* owned: the chunk, plus the carried tail */
	size_t len, cap, used;     /* used: bytes of this chunk (to a line start) */
	bool eof;                  /* the last chunk of the input */
	uint64_t seq;
	enum slot_state state;
	enum sr_status st;         /* the worker's result */
	struct sr_reader *r;       /* owned: the worker state and its records */
	struct sr_intern *atoms;   /* owned: the names this slot's parses saw */
	struct sr_batch b;         /* owned */
	const struct sr_atom **map;/* owned: slot atom id -> run atom */
	size_t nmap;
	struct sr_intern *run;     /* borrowed: the run's table */
};

struct par {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct slot *slots;        /* owned */
	size_t nslots;
	uint64_t next_parse;       /* the next chunk a worker takes */
	uint64_t filled;           /* chunks handed out so far */
	bool quit;
};

static const struct sr_atom *remap(void *ctx, const struct sr_atom *a)
{
	struct slot *s = ctx;

	if (a->id >= s->nmap) {
		size_t n = s->nmap ? s->nmap : 256;
		const struct sr_atom **m;

		while (n <= a->id)
			n *= 2;
		m = realloc(s->map, n * sizeof(*m));
		if (!m)
			return NULL;
		memset(m + s->nmap, 0, (n - s->nmap) * sizeof(*m));
		s->map = m;
		s->nmap = n;
	}
	if (!s->map[a->id])
		s->map[a->id] = sr_intern(s->run, a->str, a->len);
	return s->map[a->id];
}

static void *worker(void *arg)
{
	struct par *p = arg;

	for (;;) {
		struct slot *s;

		pthread_mutex_lock(&p->mu);
		while (!p->quit && p->next_parse == p->filled)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		s = &p->slots[p->next_parse++ % p->nslots];
		pthread_mutex_unlock(&p->mu);

		sr_strace_worker_reset(s->r);
		sr_batch_reset(&s->b);
		s->b.atoms = s->atoms;
		s->st = sr_strace_parse_range(s->r, &s->b, s->buf, s->used, s->eof);

		pthread_mutex_lock(&p->mu);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

static bool is_attach(const char *p, const char *end)
{
	return end - p > 2 && p[0] == ' ' && (p[1] == '>' || p[1] == '|' || p[1] == '*') &&
	       p[2] == ' ';
}

static bool ends_cut(const char *p, const char *end)
{
	static const char cut[] = "<unfinished ...>";
	size_t n = sizeof(cut) - 1;

	if (end > p && end[-1] == '\r')
		end--;
	return (size_t)(end - p) >= n && memcmp(end - n, cut, n) == 0;
}

/* Where to end a chunk: the start of a line that is not an attachment
 * (it would lose its event), preferably one not after a cut call (whose
 * -z tail would need the sequential reader).  0: no such line. */
static size_t find_split(const char *buf, size_t len)
{
	const char *nl = memrchr(buf, '\n', len), *e, *start, *prev;
	size_t fallback = 0;

	if (!nl)
		return 0;
	e = nl;
	for (int tries = 0; tries < 256; tries++) {
		start = memrchr(buf, '\n', (size_t)(e - buf));
		if (!start)
			break;
		start++;
		if (!is_attach(start, e)) {
			prev = memrchr(buf, '\n', (size_t)(start - 1 - buf));
			prev = prev ? prev + 1 : buf;
			if (!ends_cut(prev, start - 1))
				return (size_t)(start - buf);
			if (!fallback)
				fallback = (size_t)(start - buf);
		}
		e = start - 1;
	}
	return fallback;
}

/* Fills s with the next chunk: the carried tail, then input up to about
 * size bytes, ended at a line start.  The new tail goes back to carry. */
static enum sr_status fill(struct slot *s, struct sr_source *src, struct sr_buf *carry,
			   size_t size, struct sr_error *err)
{
	size_t got, want = size;
	enum sr_status st;

	s->len = 0;
	s->eof = false;
	for (;;) {
		if (s->cap < want + carry->len + 1) {
			size_t nc = want + carry->len + 1;
			char *n = realloc(s->buf, nc);

			if (!n)
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
			s->buf = n;
			s->cap = nc;
		}
		if (carry->len) {
			memcpy(s->buf + s->len, carry->p, carry->len);
			s->len += carry->len;
			carry->len = 0;
		}
		while (s->len < want) {
			st = sr_source_read(src, s->buf + s->len, want - s->len, &got, err);
			if (st < 0)
				return st;
			if (!got) {
				s->eof = true;
				s->used = s->len;
				return SR_OK;
			}
			s->len += got;
		}
		s->used = find_split(s->buf, s->len);
		if (s->used) {
			sr_buf_add(carry, s->buf + s->used, s->len - s->used);
			if (carry->len != s->len - s->used)
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
			return SR_OK;
		}
		/* one event and its attachments fill the chunk: take more */
		want *= 2;
	}
}

static void stop(struct par *p, pthread_t *th, int n)
{
	pthread_mutex_lock(&p->mu);
	p->quit = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

enum sr_status sr_strace_par_run(struct sr_source *src, struct sr_intern *atoms, int jobs,
				 size_t chunk, sr_par_emit emit, void *ctx, struct sr_error *err)
{
	const char *name = sr_source_name(src);
	struct par p = { .nslots = (size_t)jobs * 2 + 1 };
	struct sr_reader *seq = NULL;
	struct sr_batch tmp = { 0 };
	struct sr_buf carry = { 0 };
	pthread_t *th = NULL;
	uint64_t base = 0, out = 0;
	bool input_done = false, carries = false;
	enum sr_status st = SR_OK;
	int nth = 0;

	if (!chunk)
		chunk = SR_PAR_CHUNK;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	p.slots = calloc(p.nslots, sizeof(*p.slots));
	th = calloc((size_t)jobs, sizeof(*th));
	seq = sr_strace_worker_new(name, false);
	if (!p.slots || !th || !seq || sr_batch_init(&tmp, atoms) < 0)
		goto nomem;
	for (size_t i = 0; i < p.nslots; i++) {
		struct slot *s = &p.slots[i];

		s->run = atoms;
		s->r = sr_strace_worker_new(name, true);
		s->atoms = sr_intern_new();
		if (!s->r || !s->atoms || sr_batch_init(&s->b, s->atoms) < 0)
			goto nomem;
	}
	for (; nth < jobs; nth++)
		if (pthread_create(&th[nth], NULL, worker, &p) != 0)
			break;
	if (!nth) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot start threads");
		goto out;
	}

	for (;;) {
		struct slot *s;

		/* hand out every free slot */
		while (!input_done && p.slots[p.filled % p.nslots].state == SLOT_FREE) {
			s = &p.slots[p.filled % p.nslots];
			st = fill(s, src, &carry, chunk, err);
			if (st < 0)
				goto out;
			input_done = s->eof;
			s->seq = p.filled;
			pthread_mutex_lock(&p.mu);
			s->state = SLOT_FILLED;
			p.filled++;
			pthread_cond_signal(&p.work);
			pthread_mutex_unlock(&p.mu);
		}
		if (out == p.filled)
			break;
		s = &p.slots[out % p.nslots];
		pthread_mutex_lock(&p.mu);
		while (s->state != SLOT_DONE)
			pthread_cond_wait(&p.done, &p.mu);
		pthread_mutex_unlock(&p.mu);

		sr_batch_reset(&tmp);
		if (carries) {
			/* the chunk before left a state only a reader can carry */
			sr_batch_reset(&s->b);
			s->b.atoms = atoms;
			sr_strace_worker_start(seq, base);
			st = sr_strace_parse_range(seq, &s->b, s->buf, s->used, s->eof);
		} else {
			st = s->st;
			if (st >= 0)
				st = sr_strace_stitch(seq, s->r, &s->b, &tmp, base,
						      (s->seq + 1) << 32, remap, s);
		}
		if (st < 0) {
			st = sr_error_set(err, st, "cannot read input: out of memory");
			goto out;
		}
		carries = sr_strace_worker_carries(seq);
		base += s->b.lines;
		s->b.source = name;
		if (s->b.n || s->b.lines) {
			st = emit(ctx, &s->b, err);
			if (st < 0)
				goto out;
		}
		s->state = SLOT_FREE;
		out++;
	}
	st = SR_OK;
	goto out;
nomem:
	st = sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
out:
	if (nth)
		stop(&p, th, nth);
	for (size_t i = 0; p.slots && i < p.nslots; i++) {
		struct slot *s = &p.slots[i];

		free(s->buf);
		free(s->map);
		sr_batch_free(&s->b);
		sr_strace_worker_free(s->r);
		sr_intern_free(s->atoms);
	}
	free(p.slots);
	free(th);
	sr_batch_free(&tmp);
	sr_buf_free(&carry);
	sr_strace_worker_free(seq);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	return st;
}
