/*
 * syscall_storm.c - a syscall-heavy workload for measuring tracer overhead
 * (docs/record.md): N rounds of openat, fstat, write, read, close on a
 * scratch file (rewritten in place: no truncation, which on ext4 would
 * flush the disk each round), about 5 N system calls and no other work.
 *
 *   syscall_storm [ROUNDS] [FILE]     defaults: 20000, /tmp/syscall_storm.<pid>
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	char path[64], buf[64] = "0123456789abcdef0123456789abcdef\n";
	struct stat st;

	if (argc > 2)
		snprintf(path, sizeof(path), "%s", argv[2]);
	else
		snprintf(path, sizeof(path), "/tmp/syscall_storm.%d", (int)getpid());
	for (long i = 0; i < rounds; i++) {
		int fd = open(path, O_RDWR | O_CREAT, 0600);

		if (fd < 0 || fstat(fd, &st) < 0 || write(fd, buf, 33) != 33 ||
		    pread(fd, buf, 33, 0) != 33 || close(fd) < 0) {
			perror(path);
			return 1;
		}
	}
	unlink(path);
	return 0;
}
