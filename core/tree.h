/*
 * tree.h - the process tree of a trace: who forked whom, what each process
 * executed, how it ended, and which tasks were threads of it.
 *
 * Built from batches of any reader, using the event model only:
 *
 *   - parentage from the return value of clone, clone3, fork and vfork in
 *     the parent (a clone with CLONE_PARENT makes a sibling);
 *   - CLONE_THREAD makes a thread: it joins the caller's thread group and
 *     is listed on its process, not as a child;
 *   - every execve / execveat with its path, argv (the array of strings
 *     printed as its argument) and whether it returned 0;
 *   - "+++ exited with N +++", "+++ killed by SIG +++" and "+++ superseded
 *     by execve +++" end a task; a tid seen again after its end is a new
 *     task (tid reuse).
 *
 * A child often runs before its parent's clone returns ("vfork( <unfinished
 * ...>", then the child's lines, then "<... vfork resumed>) = 12"): a task
 * first seen while a clone is in flight is taken, for now, as that clone's
 * child (or thread), and the return value confirms it.  The inputs of one
 * tree are parts of one trace (as strace -ff writes them, each file's
 * events carrying the pid of its ".PID" suffix).
 *
 * Memory grows with the number of tasks and execs, never with the number
 * of other events.
 */
#ifndef SR_TREE_H
#define SR_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "strace_text.h"
#include "sysrep.h"

enum sr_tree_end {
	SR_TREE_RUNNING = 0, /* no end seen in the trace */
	SR_TREE_EXITED,	     /* status */
	SR_TREE_KILLED,	     /* signal, core */
	SR_TREE_SUPERSEDED,  /* a thread whose execve took over the group */
};

struct sr_tree_exec {
	const char *path;  /* owned by the tree; "" when not printed */
	const char **argv; /* owned: argc strings; a truncated one ends in "..." */
	uint32_t argc;
	bool argv_more;	 /* argv was abbreviated ("...") or not printed as an array */
	bool argv0_cut;	 /* argv[0] was truncated (strace -s): path says more */
	bool ok;	 /* returned 0 */
	const char *err; /* owned: the errno name of a failed call, else NULL */
	uint64_t line;
};

struct sr_tree_task {
	int64_t tid;	/* as printed; -1 when the trace printed no pid */
	int32_t parent; /* task index of the parent process; -1: none seen (a root) */
	int32_t leader; /* task index of the thread-group leader; itself for a process */
	bool thread;	/* created by a clone with CLONE_THREAD */
	bool guessed;	/* parent or leader inferred from a clone in flight, unconfirmed */
	bool linked;	/* parent or leader confirmed by a clone's return value */
	uint8_t end;	/* enum sr_tree_end */
	bool core;	/* KILLED: core dumped */
	int64_t status; /* EXITED: the exit status */
	const char *signal; /* owned: KILLED: the signal name */
	const char *comm;   /* owned: --decode-pids=comm, the last one printed; or NULL */
	struct sr_tree_exec *execs; /* owned: nexecs, in trace order */
	uint32_t nexecs, exec_cap;
	uint64_t events, errors;    /* events of the task; failed calls */
	uint64_t first_line, last_line;
	int64_t first_ns, last_ns;  /* on the run's time axis (evtime.h); -1: none */
	uint8_t pending;	    /* a clone in flight: 0 none, 1 process, 2 thread */
	/* Filled by sr_tree_finish: borrowed views into the tree's storage. */
	const int32_t *kids;	/* child processes, in order of first sight */
	uint32_t nkids;
	const int32_t *threads; /* the group's other tasks (leader only) */
	uint32_t nthreads;
};

struct sr_tree;

enum sr_status sr_tree_new(struct sr_tree **t);
void sr_tree_free(struct sr_tree *t); /* accepts NULL */

/*
 * Adds a batch's events, in order.  task_of (optional, b->n entries)
 * receives the task index of each event, -1 for events that belong to no
 * task (messages, summaries, unparsed lines).  Task indexes are stable:
 * later batches add tasks but never renumber them.
 */
enum sr_status sr_tree_add(struct sr_tree *t, const struct sr_batch *b, int32_t *task_of);

/* Links children and threads to their processes; call once, after the last
 * batch.  Only sr_tree_render_* and the kids/threads fields need it. */
enum sr_status sr_tree_finish(struct sr_tree *t);

size_t sr_tree_count(const struct sr_tree *t);
const struct sr_tree_task *sr_tree_at(const struct sr_tree *t, int32_t i);
/* The processes: tasks that lead their group (not threads). */
size_t sr_tree_processes(const struct sr_tree *t);

/* The pid of a task's process (its leader's tid); -1 when unknown. */
int64_t sr_tree_pid(const struct sr_tree *t, int32_t i);
/* The exec that names a task's process: its last successful one, else its
 * last one; NULL when the process executed nothing in the trace. */
const struct sr_tree_exec *sr_tree_last_exec(const struct sr_tree *t, int32_t i);
/* A short name for a task's process: the basename of argv[0] of its exec,
 * else its comm, else its parent's name (a fork runs its parent's program);
 * NULL when none is known.  Points into the tree. */
const char *sr_tree_name(const struct sr_tree *t, int32_t i, size_t *len);
/* The same from the process's own execs and comm alone; NULL when it has
 * neither (its name is then its parent's: a walk down the tree passes it
 * on, where sr_tree_name walks up, at most 4096 levels). */
const char *sr_tree_own_name(const struct sr_tree *t, int32_t i, size_t *len);

/* The command line of an exec as a shell would read it: arguments quoted
 * where needed, a truncated or abbreviated argv marked with "...". */
void sr_tree_command(struct sr_buf *b, const struct sr_tree_exec *x);

/*
 * Renders the finished tree into w (see jw.h: with w->out set, it streams
 * and its memory stays small); false when out of memory.
 *
 * text: one line per process, like strace-process-tree,
 *	13506 gcc -c t.c [exit 0]
 *	├─13507 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 ... [exit 0]
 *	└─13508 as --64 -o t.o /tmp/cc.s [exit 0]
 *   a process that executed nothing shows its parent's program in
 *   parentheses; threads are a count ("[3 threads]").  Below max_depth
 *   levels (0: no limit) the children of a process are not listed but
 *   summed up in one line, "└─… 19900 deeper levels collapsed (19900
 *   processes)": each line's indentation grows with its depth, so a chain
 *   of n forks would otherwise print n²/2 prefixes.
 *
 * json: {"processes":N,"threads":N,"roots":[PROC...]} where PROC is
 *	{"pid":N|null,"parent":N|null,"comm":S?,"execs":[{"path":S,"argv":[S...],
 *	 "ok":B,"errno":S?,"line":N}],"exit":{"status":N}|{"signal":S,"core":B}|null,
 *	 "threads":[tid...],"events":N,"errors":N,"start":SECS?,"end":SECS?,
 *	 "children":[PROC...]}
 *   every process, whatever its depth (the output grows linearly with it);
 *   w->html escapes '<' in strings (for embedding in a page).
 */
#define SR_TREE_DEPTH 100 /* the text's default max_depth */
struct sr_jw;
bool sr_tree_render_text(const struct sr_tree *t, struct sr_jw *w, uint32_t max_depth);
bool sr_tree_render_json(const struct sr_tree *t, struct sr_jw *w);

#endif /* SR_TREE_H */
