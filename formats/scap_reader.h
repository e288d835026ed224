/*
 * scap_reader.h - the scap reader's state, shared by in_scap.c (input,
 * blocks, process and fd tables, enter/exit pairing) and scap_emit.c (one
 * event record into the event model).
 */
#ifndef SCAP_READER_H
#define SCAP_READER_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scap_internal.h"
#include "strace_internal.h"

#define CHUNK (1u << 20)
#define BATCH_EVENTS 4096
#define BATCH_BYTES (8u << 20)
#define MAX_BLOCK (1u << 30)

enum {
	B_SHB = 0x0A0D0D0A,
	B_MI = 0x201,
	B_MI_INT = 0x8002ABCD,
	B_PL_V1 = 0x202,
	B_PL_V1_INT = 0x8000ABCD,
	B_PL_V2 = 0x207,
	B_PL_V2_INT = 0x8013ABCD,
	B_PL_V3 = 0x209,
	B_PL_V3_INT = 0x8014ABCD,
	B_PL_V4 = 0x210,
	B_PL_V5 = 0x211,
	B_PL_V6 = 0x212,
	B_PL_V7 = 0x213,
	B_PL_V8 = 0x214,
	B_PL_V9 = 0x215,
	B_FDL = 0x203,
	B_FDL_INT = 0x8001ABCD,
	B_FDL_V2 = 0x218,
	B_EV = 0x204,
	B_EV_INT = 0x8010ABCD,
	B_EV_V2 = 0x216,
	B_EV_V2_LARGE = 0x221,
	B_EVF = 0x208,
	B_EVF_V2 = 0x217,
	B_EVF_V2_LARGE = 0x222,
};

#define SHB_MAGIC 0x1A2B3C4Du

/* One event record, parsed; pointers into the block (or a copy of it). */
struct rawev {
	uint64_t ts, tid, line, off;
	uint16_t type;
	uint32_t nparams, lsize;
	const uint8_t *lens, *data, *end; /* data..end: the parameter bytes */
	const uint8_t *opt, *opt_end;	  /* pcapng options after the event */
	bool raw;			  /* lengths unknown: one raw parameter */
};

/* Threads and fds by (a, b); open addressing with tombstones. */
struct slot {
	int64_t a, b;
	uint8_t state; /* 0 empty, 1 used, 2 deleted */
	int64_t x;		     /* thread: tgid; pend: index */
	const struct sr_atom *atom;  /* thread: comm; fd: target */
};

struct kmap {
	struct slot *s; /* owned */
	size_t cap, used, tomb;
};

struct pend {
	uint8_t *raw; /* owned: the enter's block body */
	size_t len, cap;
	uint64_t tid, line, off;
	bool used, marked; /* marked: its UNFINISHED marker was emitted */
};

struct sr_reader {
	struct sr_source *in; /* borrowed */
	uint8_t *buf;	      /* owned: decoded input, buf[pos..len) unread */
	size_t len, cap, pos;
	uint64_t base; /* file offset of buf[0] */
	bool eof, started;
	struct sr_scap_dec dec;
	enum sr_arch arch;
	uint64_t nev; /* event records read */
	struct kmap thr, fds, pmap;
	struct pend *pend; /* owned */
	size_t npend, cappend;
	struct pend *held; /* an enter whose next event decides its shape */
	struct sr_buf scratch;
};

struct slot *sr_scap_kfind(const struct kmap *m, int64_t a, int64_t b);
void sr_scap_kdel(struct kmap *m, int64_t a, int64_t b);
int64_t sr_scap_tgid_of(const struct sr_reader *r, int64_t tid);
bool sr_scap_set_thread(struct sr_reader *r, struct sr_batch *b, int64_t tid, int64_t pid,
		       const uint8_t *comm, size_t n);
bool sr_scap_set_fd(struct sr_reader *r, struct sr_batch *b, int64_t pid, int64_t fd,
		   const char *path, size_t n);
enum sr_status sr_scap_bad(struct sr_error *err, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool sr_scap_is_event_block(uint32_t t);
enum sr_status sr_scap_parse_event(const struct sr_reader *r, uint32_t btype, const uint8_t *body,
				  size_t blen, uint64_t off, struct rawev *ev, struct sr_error *err);
struct sr_event *sr_scap_push(struct sr_batch *b);
bool sr_scap_emit_call(struct sr_reader *r, struct sr_batch *b, const struct rawev *en,
		      const struct rawev *xe, bool resumed);
bool sr_scap_emit_other(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
		       const struct sr_scap_evinfo *info);

/* scap_strace.c: strace's name of the call an event names ("pread64" for
 * "pread"), and its arguments args[0..*nargs) put in strace's order under
 * strace's names (the capture's other parameters after them); *nargs is
 * updated.  nfirst non-NULL: the values made from args[0..*nfirst) (the
 * enter's, which an unfinished marker printed) stay first, each part in that
 * order, and *nfirst becomes their new count.  false: out of memory. */
const char *sr_scap_strace_name(const char *event);
bool sr_scap_strace_order(struct sr_arena *a, const char *event, struct sr_value *args,
			  uint32_t *nargs, uint32_t *nfirst);

#endif /* SCAP_READER_H */
