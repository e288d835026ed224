/*
 * archive_internal.h - what the archive writer (out_archive.c) and reader
 * (in_archive.c) share: the container layout, the stream numbers, the
 * per-event presence bits and the small codecs (varints, contexts, time
 * units).  docs/archive.md describes the format; this header is its
 * definition, so a change here is a format change: bump SRA_VERSION.
 */
#ifndef ARCHIVE_INTERNAL_H
#define ARCHIVE_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "sysrep.h"
#include "strace_text.h" /* the printer, for padcol */

/* "\x89SRA\r\n\x1a\n": a binary magic that text-mode transfers mangle
 * visibly, and that no text trace or zstd/gzip stream starts with. */
#define SRA_MAGIC "\x89SRA\r\n\x1a\n"
#define SRA_MAGIC_LEN 8
#define SRA_VERSION 1

/* Header flags.  SRA_F_DICT: a u32le follows the flags, the id of the set
 * of zstd dictionaries (sra_dict.c) the streams were compressed with. */
#define SRA_F_DICT 0x01
/* SRA_F_LEAN: the streams are zstd frames without magic and without
 * checksum (8 bytes a stream, an eighth of a short trace's archive); a
 * u32le CRC-32 of the block's payloads follows the stream sizes in the
 * block header instead, and a stream that zstd would not shrink is stored
 * as it is (complen 0, rawlen bytes).  Both flags are set by the writer. */
#define SRA_F_LEAN 0x02

#define SRA_TAG_BLOCK 'B'
#define SRA_TAG_END 'E'

/* The shipped dictionaries (sra_dict.c, made by scripts/archive-dict.py):
 * one per stream, n == 0 where a stream has none.  A stream is compressed
 * with its dictionary exactly when the archive's header has SRA_F_DICT and
 * the set has one for it. */
struct sra_dict {
	const unsigned char *p;
	size_t n;
};
extern const struct sra_dict sra_dicts[];
extern const uint32_t sra_dict_set_id;

/* A block header is at most this big (tag, 2 + 2 * SRA_NSTREAMS varints,
 * payload crc, crc); a stream at most SRA_MAX_STREAM bytes once decompressed. */
#define SRA_MAX_HEADER (1 + 10 * (2 + 2 * SRA_NSTREAMS) + 4 + 4)
#define SRA_MAX_STREAM (1ull << 31)

/* The per-block column streams, in the order they are stored. */
enum sra_stream {
	SRA_S_EV,     /* kind byte, flags varint, presence varint */
	SRA_S_LEAD,   /* a leader descriptor when it changed (SRA_DESC_LEN bytes) */
	SRA_S_PID,    /* pid: index into the recent-pid table, or a literal */
	SRA_S_TIME,   /* -t/-tt/-ttt: delta of time units; -r: units; start */
	SRA_S_DUR,    /* -T: units */
	SRA_S_NAME,   /* syscall/signal names: ident ids */
	SRA_S_SHAPE,  /* value trees: node bytes, kid counts, flags */
	SRA_S_IDENT,  /* ident ids: constants, member names, errnos, notes */
	SRA_S_INT,    /* decimal ints: zigzag delta to the context's last */
	SRA_S_HEX,    /* hex/octal/unsigned ints: zigzag delta likewise */
	SRA_S_STRREF, /* string codes: 0 context hit, 1 new, 2+ back reference */
	SRA_S_STRLEN, /* lengths of new strings */
	SRA_S_STRDAT, /* bytes of new string values ("...") */
	SRA_S_TXTDAT, /* bytes of new other texts (fd paths, comments, lines) */
	SRA_S_IDDAT,  /* new idents: varint length + bytes */
	SRA_S_MISC,   /* everything rare: line, nr, pad, split, code, notes,
		       * attachments, summary rows, start times */
	SRA_NSTREAMS
};

/* Presence bits: which of an event's optional parts follow. */
enum {
	SRA_P_LEAD = 1 << 0,    /* a new leader descriptor (else the previous one) */
	SRA_P_NAME = 1 << 1,
	SRA_P_ARGS = 1 << 2,
	SRA_P_HASRET = 1 << 3,
	SRA_P_RET = 1 << 4,
	SRA_P_ERR = 1 << 5,
	SRA_P_ERRMSG = 1 << 6,
	SRA_P_NOTES = 1 << 7,
	SRA_P_UNAVAIL = 1 << 8,
	SRA_P_CODE = 1 << 9,
	SRA_P_TEXT = 1 << 10,
	SRA_P_SUM = 1 << 11,
	SRA_P_ATT = 1 << 12,
	SRA_P_START = 1 << 13,
	SRA_P_SPLIT = 1 << 14,
	SRA_P_PAD = 1 << 15,
	SRA_P_NR = 1 << 16,     /* nr is not the one last seen with this name */
	SRA_P_LINE = 1 << 17,   /* line is not the previous one + 1 */
	SRA_P_PID = 1 << 18,    /* pid is not the previous event's */
	SRA_P_PADCOL = 1 << 19, /* padcol is not the column strace_print.c gives */
	SRA_P__ALL = (1 << 20) - 1,
};

/* The leader descriptor: the shape of the line's start, which changes
 * rarely, so it is stored only when it does. */
enum {
	SRA_D_PIDFORM,
	SRA_D_BITS,        /* SRA_LB_* */
	SRA_D_IPDIGITS,    /* | SRA_IPD_SPACED */
	SRA_D_NRWIDTH,
	SRA_D_TIME,        /* 4 bytes each: clock, digits, width, raw */
	SRA_D_REL = SRA_D_TIME + 4,
	SRA_D_DUR = SRA_D_REL + 4,
	SRA_DESC_LEN = SRA_D_DUR + 4,
};
enum {
	SRA_LB_NR = 1 << 0,
	SRA_LB_IP = 1 << 1,
	SRA_LB_NR_UNKNOWN = 1 << 2,
	SRA_LB_IP_UNKNOWN = 1 << 3,
	SRA_LB_COMM = 1 << 4,
	SRA_LB_SECONTEXT = 1 << 5,
	SRA_LB_NRVAL = 1 << 6,  /* lead.nr stored (printed, or set anyway) */
	SRA_LB_IPVAL = 1 << 7,  /* lead.ip stored likewise */
};

/* In SRA_D_IPDIGITS (digits are at most 16): lead.ip_spaced. */
#define SRA_IPD_SPACED 0x80

/* Value tree nodes: a byte kind | SRA_N_* bits in SRA_S_SHAPE. */
#define SRA_N_KIND 0x0f
#define SRA_N_NAME 0x10  /* a member name follows (ident) */
#define SRA_N_EXT 0x20   /* a varint follows: INT (flags << 2 | text mode), else flags */
#define SRA_N_AUX 0xc0   /* INT: SRA_INT_*; FD: 0x40 when it has its fd kid */
#define SRA_N_GENERIC 0  /* kind 0: a node stored field by field */

enum { SRA_INT_DEC = 0, SRA_INT_HEX = 1, SRA_INT_OCT = 2, SRA_INT_OTHER = 3 };
/* INT text: regenerated from num and base, empty, or stored */
enum { SRA_TXT_CANON = 0, SRA_TXT_EMPTY = 1, SRA_TXT_STORED = 2 };

/* String codes in SRA_S_STRREF. */
enum { SRA_REF_HIT = 0, SRA_REF_NEW = 1, SRA_REF_BACK = 2 };

/* Contexts: tables of the last int or string seen in a place. */
#define SRA_CTX_BITS 16
#define SRA_CTX_SIZE (1u << SRA_CTX_BITS)
#define SRA_PIDS 16           /* the recent-pid table */
#define SRA_POS_RET 1000      /* node positions of return values start here */
#define SRA_NO_NAME 0xfffffu  /* the name id of an event without a name */
#define SRA_MAX_DEPTH 1024    /* value nesting the reader accepts */

enum { SRA_CLS_DEC = 1, SRA_CLS_HEX, SRA_CLS_STR, SRA_CLS_FD, SRA_CLS_TXT, SRA_CLS_EV };

static inline uint32_t sra_ctx(uint64_t a, uint64_t b, uint32_t cls)
{
	uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b + 0x632be59bd9b4e019ull + (a << 6));

	h ^= (uint64_t)cls * 0xc2b2ae3d27d4eb4full;
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> (64 - SRA_CTX_BITS));
}

static inline uint64_t sra_zz(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t sra_unzz(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static const uint64_t sra_pow10[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

/*
 * A time as one integer in units of its printed precision: sec * 10^digits
 * + nsec / 10^(9 - digits).  False when that would lose something (nsec
 * finer than the digits, digits > 9, a negative or huge sec): such a time
 * is stored raw, as sec and nsec.
 */
static inline bool sra_time_units(const struct sr_time *t, uint64_t *units)
{
	uint64_t scale;

	if (t->digits > 9 || t->nsec >= 1000000000u || t->sec < 0 || t->sec > (1ll << 33))
		return false;
	scale = sra_pow10[9 - t->digits];
	if (t->nsec % scale)
		return false;
	*units = (uint64_t)t->sec * sra_pow10[t->digits] + t->nsec / scale;
	return true;
}

static inline void sra_time_from_units(struct sr_time *t, uint64_t units)
{
	uint64_t p = sra_pow10[t->digits];

	t->sec = (int64_t)(units / p);
	t->nsec = (uint32_t)(units % p * sra_pow10[9 - t->digits]);
}


/*
 * The padcol the strace reader gives an event: the column where the
 * printer starts the padding before "= ", for a return it printed back
 * exactly (not verbatim).  Both sides compute it, so only an event whose
 * padcol differs stores it.  scratch: the caller's buffer.
 */
static inline uint16_t sra_padcol(struct sr_buf *scratch, const struct sr_event *ev)
{
	if (!ev->has_ret || ev->kind == SR_E_UNPARSED || (ev->flags & SR_EF_VERBATIM))
		return 0;
	scratch->len = 0;
	scratch->mark = 0;
	sr_strace_print_event(scratch, ev);
	return scratch->mark < UINT16_MAX ? (uint16_t)scratch->mark : 0;
}

#endif /* ARCHIVE_INTERNAL_H */
