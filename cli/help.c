/*
 * help.c - the help texts of the command line and "sysrep help [COMMAND]".
 * Keep them in step with docs/sysrep.1.
 */
#include <string.h>

#include "sysrep.h"
#include "cli.h"

#define HELP_FILTERS                                                                \
	"Filters (applied after any reader; see 'man sysrep'):\n"                   \
	"  -e, --trace=[trace=][!]SET\n"                                             \
	"                      only these calls: names, strace classes (%file,\n"    \
	"                      %network, %process, %signal, %memory, %ipc, %desc,\n" \
	"                      %creds, %clock, %pure, %stat, %lstat, %fstat,\n"      \
	"                      %statfs, ...), /REGEX, all, none; !SET: the others\n" \
	"      --pid=N[,M...]  only events of these pids\n"                          \
	"      --failed        only calls that failed (strace -Z)\n"                 \
	"      --successful    only calls that succeeded (strace -z)\n"              \
	"      --since=T, --until=T\n"                                               \
	"                      only events in [T, T'): seconds on the trace's clock\n" \
	"                      (-ttt: epoch; -t/-tt: since midnight, or HH:MM:SS)\n" \
	"  -j, --jobs=N        N threads: a strace file is parsed in N pieces (the\n" \
	"                      output is identical); with -r, N files at a time\n"   \
	"      --chunk=BYTES   with -j: the size of a piece (default 128 KiB)\n"       \
	"      --max-line=BYTES\n"                                                    \
	"                      the longest line read (default 64M; K, M, G; 0: no\n" \
	"                      limit): a longer one keeps its head, the rest is\n"   \
	"                      dropped and counted (-O max_line=BYTES)\n"            \
	"  -q, --quiet         no progress line (shown on a terminal for inputs\n"   \
	"                      over 4 MB)\n"

const char help_main[] =
	"Usage: sysrep COMMAND [OPTION...] [INPUT...]\n"
	"Transcode Linux strace traces.\n"
	"\n"
	"Commands:\n"
	"  convert [-f FROM] [-t TO] [-o OUT] [--strict] [INPUT...]\n"
	"                      convert traces into one output (default: to JSON lines)\n"
	"  convert -r INDIR -o OUTDIR [-t TO] [-j N] [--merge]\n"
	"                      convert a directory tree, N files at a time\n"
	"  record [-t TO] [-o OUT] [OPTION...] -- CMD [ARG...] | -p PID\n"
	"                      run CMD under strace, converting its trace live\n"
	"  stats [--json] [-c] [-f FROM] [INPUT...]\n"
	"                      count lines, events and event kinds; the strace -c table\n"
	"  tree [--json] [-f FROM] [-o OUT] [INPUT...]\n"
	"                      the process tree: forks, execs, exits, threads\n"
	"  report [-f FROM] [-o OUT.html] [INPUT...]\n"
	"                      a self-contained HTML report: tree, tables, timeline\n"
	"  formats             list the input and output formats\n"
	"  help [COMMAND]      show this help, or a command's help\n"
	"\n"
	"Options:\n"
	"  -h, --help          show help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"INPUT and OUT may be '-' for stdin and stdout (the default).  Inputs\n"
	"compressed with zstd or gzip are decompressed transparently.\n"
	"\n"
	"Exit status: 0 ok, 1 data or I/O error, 2 usage error.\n"
	"Example: strace -o ls.strace ls; sysrep convert ls.strace | jq .syscall\n";

const char help_convert[] =
	"Usage: sysrep convert [OPTION...] [INPUT...]\n"
	"Convert traces, in order, into one output.  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"  -t, --to=FORMAT     output format (default: from the extension of OUT,\n"
	"                      else " DEFAULT_WRITER ")\n"
	"  -o, --output=OUT    write to OUT, replaced only once complete\n"
	"                      (default: stdout)\n"
	"      --strict        exit with status 1 if any line could not be parsed\n"
	"                      (the output is still written in full)\n"
	"      --keep-going    a missing or corrupt input does not stop the run:\n"
	"                      it is reported with the records kept before the\n"
	"                      error, the others are converted, OUT is kept, and\n"
	"                      the exit status is 1.  A bad line of JSON Lines\n"
	"                      becomes an \"unparsed\" record (as with strace text).\n"
	"                      By default the first error stops the run (exit 1)\n"
	"                      and -o OUT is not written\n"
	"  -z, --zstd[=LEVEL]  compress the output with zstd (level 1-22, default 3;\n"
	"                      also when OUT ends in .zst, the writer then chosen\n"
	"                      by the extension before it: -o x.jsonl.zst)\n"
	"      --threads=N     zstd with N worker threads (implies -z)\n"
	"  -O, --option=KEY=VALUE\n"
	"                      an option for the reader or writer (repeatable;\n"
	"                      'sysrep formats' lists them)\n"
	"      --columns=LIST  CSV output: the columns, in order (-O columns=LIST),\n"
	"                      e.g. time,pid,syscall,return,errno,duration,arg0,args\n"
	"      --arch=ARCH     syscall numbers of x86_64 (default), i386 or aarch64\n"
	"                      (-O arch=ARCH): a trace does not say its architecture\n"
	"      --merge         the INPUTs are the per-pid files of strace -ff\n"
	"                      (NAME.PID): one stream, ordered by time\n"
	"  -r, --recursive=INDIR\n"
	"                      corpus mode: every trace under INDIR to the same place\n"
	"                      under -o OUTDIR, its extension replaced by TO's\n"
	"                      (.zst/.gz dropped; a .PID suffix kept unless --merge);\n"
	"                      -j N files at a time; a summary line on stderr.\n"
	"                      Files no reader recognises (source, a README) are\n"
	"                      skipped and named; -f FORMAT reads every file\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"Syscall sequences (-t seq, implied by these options; see docs/seq.md):\n"
	"      --by=pid|tid    one sequence per process (threads joined, default)\n"
	"                      or per thread (-O by=...)\n"
	"      --names         syscall names instead of numbers (-O names)\n"
	"      --layout=LAYOUT lines (default): 'PID: n n n' per process;\n"
	"                      adfa: one file per process in the directory -o DIR;\n"
	"                      unm: 'PID NR' lines in trace order (-O layout=...)\n"
	"      --window=K      the distinct windows of K calls per process, with\n"
	"                      counts, as CSV or with -O format=jsonl (-O window=K)\n"
	"      --lookahead     with --window: lookahead pairs instead (-O lookahead)\n"
	"\n"
	"'sysrep formats' lists the formats.\n";

const char help_stats[] =
	"Usage: sysrep stats [OPTION...] [INPUT...]\n"
	"Count lines, events (per kind), unparsed, verbatim and attached lines and\n"
	"bytes of each input, and their totals.  No INPUT, or '-': stdin.\n"
	"\n"
	"After the counts, the strace -c table from the -T durations (zero without\n"
	"-T): % time, seconds, usecs/call, calls, errors per syscall, by time.\n"
	"The counts describe the input; the table, the events the filters keep.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"      --json          print one JSON object (with a \"syscalls\" array)\n"
	"  -c, --table         print the strace -c table alone\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS;

const char help_tree[] =
	"Usage: sysrep tree [OPTION...] [INPUT...]\n"
	"Print the process tree of a trace: who forked whom (clone, clone3, fork,\n"
	"vfork), the command line of each process's last execve, how it ended,\n"
	"and its threads (CLONE_THREAD) as a count.  Several INPUTs are parts of\n"
	"one trace (strace -ff files).  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"      --json          nested JSON objects instead of text\n"
	"      --depth=N       text: list N levels below a root (default 100; 0: all);\n"
	"                      the children at the last level are summed up in one\n"
	"                      line, \"... N deeper levels collapsed (M processes)\"\n"
	"  -o, --output=OUT    write to OUT (default: stdout)\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"See docs/views.md.\n";

const char help_report[] =
	"Usage: sysrep report [OPTION...] [INPUT...]\n"
	"Write one self-contained HTML page about a trace: the process tree, calls\n"
	"and errors per syscall and per process, the slowest calls, the files and\n"
	"sockets touched, and a timeline per process.  No network, no external\n"
	"files.  Several INPUTs are parts of one trace.  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"  -o, --output=OUT    write to OUT (default: stdout)\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"Example: sysrep report app.strace -o report.html\n";

const char help_record[] =
	"Usage: sysrep record [OPTION...] [--] CMD [ARG...]\n"
	"       sysrep record [OPTION...] -p PID [-p PID...]\n"
	"Run CMD (or attach to running processes) under strace and convert the\n"
	"trace while it runs: no text file in between.  The program keeps its\n"
	"stdin, stdout and stderr; the trace reaches sysrep through a pipe of its\n"
	"own.  The output is flushed after every batch (within 50 ms of a pause),\n"
	"so 'sysrep record -- CMD | jq' follows the program live.\n"
	"\n"
	"Options:\n"
	"  -t, --to=FORMAT     the writer (default: from OUT's extension, else jsonl)\n"
	"  -o, --output=OUT    write OUT (default stdout); x.sra: the archive\n"
	"  -O, --option=KEY=VALUE  a writer option (see 'sysrep formats')\n"
	"      --arch=ARCH     syscall table for numbers (x86_64, i386, aarch64)\n"
	"  -z, --zstd[=LEVEL]  compress the output with zstd (also for OUT.zst)\n"
	"      --threads=N     zstd worker threads\n"
	"      --strict        unparsed lines are an error (exit status 1)\n"
	"  -p, --attach=PID    trace running processes (PID, or PID,PID...) until\n"
	"                      they end or sysrep gets SIGINT/SIGTERM (strace detaches)\n"
	"  -s SIZE             strace's string size (default 256)\n"
	"      --strace-opt=OPT  pass OPT to strace, one word each time:\n"
	"                      --strace-opt=-v, --strace-opt=--seccomp-bpf\n"
	"                      --strace-opt=-etrace=%file (strace filters at the\n"
	"                      source: cheaper than sysrep's -e, which filters after)\n"
	"      --strace=PATH   the strace to run (default: strace in PATH)\n"
	"      --no-strace-defaults  give strace only the --strace-opt options\n"
	"      --dry-run       print the strace command line and exit\n"
	"\n"
	"strace runs as: strace -f -n --absolute-timestamps=format:unix,precision:ns\n"
	"  --syscall-times=ns -yy -Y -s 256 [--strace-opt...] -o PIPE -- CMD\n"
	"(-v is left out: it would copy every execve's environment into the trace.)\n"
	"\n"
	HELP_FILTERS
	"\n"
	"Exit status: CMD's own, 128+N when signal N killed it (as strace and the\n"
	"shell report it); 1 when strace is missing, ptrace is not permitted\n"
	"(kernel.yama.ptrace_scope, a container without CAP_SYS_PTRACE: the message\n"
	"says what to do) or the output failed; 2 usage error.\n"
	"Examples:\n"
	"  sysrep record -- make -j4 > build.jsonl\n"
	"  sysrep record -o ls.sra -- ls -l /\n"
	"  sudo sysrep record -p \"$(pidof nginx)\" -t csv -o nginx.csv\n";

const char help_formats[] =
	"Usage: sysrep formats\n"
	"List the input formats (readers) and output formats (writers).\n";

static void help_keys(const struct sr_optdesc *keys)
{
	if (!keys || !keys->key) {
		puts("    options: none");
		return;
	}
	puts("    options (-O KEY=VALUE):");
	for (; keys->key; keys++)
		printf("      %-10s %s\n", keys->key, keys->help ? keys->help : "");
}

/* "sysrep help FORMAT": its reader and writer, extensions and -O keys. */
static int help_format(const char *name)
{
	const struct sr_reader_class *rc = sr_reader_find(name);
	const struct sr_writer_class *wc = sr_writer_find(name);

	printf("Format %s\n", name);
	if (rc) {
		printf("  reader (-f %s), extensions %s: %s\n", name,
		       rc->exts && *rc->exts ? rc->exts : "none", rc->summary ? rc->summary : "");
		help_keys(rc->opt_keys);
	}
	if (wc) {
		printf("  writer (-t %s), extension %s: %s\n", name,
		       wc->ext && *wc->ext ? wc->ext : "none", wc->summary ? wc->summary : "");
		help_keys(wc->opt_keys);
	}
	printf("  every run also reads:\n");
	for (const struct sr_optdesc *d = sr_conv_opt_keys; d->key; d++)
		printf("      %-10s %s\n", d->key, d->help ? d->help : "");
	return flush_stdout();
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2)
		return print_help(help_main);
	if (!strcmp(argv[1], "convert"))
		return print_help(help_convert);
	if (!strcmp(argv[1], "record"))
		return print_help(help_record);
	if (!strcmp(argv[1], "stats"))
		return print_help(help_stats);
	if (!strcmp(argv[1], "formats"))
		return print_help(help_formats);
	if (!strcmp(argv[1], "tree"))
		return print_help(help_tree);
	if (!strcmp(argv[1], "report"))
		return print_help(help_report);
	if (!strcmp(argv[1], "help"))
		return print_help(help_main);
	if (sr_reader_find(argv[1]) || sr_writer_find(argv[1]))
		return help_format(argv[1]);
	return usage_error("no help for '%s': not a command or a format (see 'sysrep formats')",
			   argv[1]);
}
