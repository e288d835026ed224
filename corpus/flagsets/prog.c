/* prog.c - a deterministic program for the flag-set agreement test (issue 16).
 *
 * It makes a wide variety of system calls whose arguments and results
 * repeat from run to run when run under `setarch -R` inside
 * `unshare -p -f --mount-proc` (see scripts/record-flagsets.sh): no times,
 * inode numbers, random ports or addresses that depend on the kernel's mood
 * are printed by strace.  Run as `prog DIR`; DIR is a scratch directory
 * (made empty by the script).  `prog --child` is what it execve()s.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

static char dir[64];

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void files(void)
{
	char p[512], buf[64];
	struct stat st;
	int fd, d;
	static const char text[] =
		"hello\tworld\n\001\002\377 a long line that strace truncates "
		"at thirty-two bytes by default, and far more under -s 8\n";

	path(p, sizeof p, "data.txt");
	fd = openat(AT_FDCWD, p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	write(fd, text, sizeof text - 1);
	close(fd);
	fd = open(p, O_RDONLY);
	read(fd, buf, 16);
	lseek(fd, 4, SEEK_SET);
	pread(fd, buf, 8, 2);
	fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFD);
	d = dup(fd);
	dup3(d, 20, O_CLOEXEC);
	close(20);
	close(d);
	ioctl(fd, FIONREAD, &d); /* a regular file: returns the size */
	lseek(fd, 0, SEEK_END);
	close(fd);
	/* a name that is not UTF-8, and one with control bytes */
	path(p, sizeof p, "caf\xe9-\xff\xfe.bin");
	fd = openat(AT_FDCWD, p, O_RDWR | O_CREAT | O_EXCL, 0600);
	write(fd, "\x00\x01\x02\x03\x80\x81", 6);
	close(fd);
	path(p, sizeof p, "tab\there\nnl");
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);
	close(fd);
	/* failures with errno */
	open("/nonexistent/sysrep-agree", O_RDONLY);
	close(999);
	path(p, sizeof p, "data.txt");
	openat(AT_FDCWD, p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	/* stat without inode-dependent output: strace prints st_ino only
	 * under -v, so the file's inode is excluded by the checker there;
	 * the sizes and modes are stable. */
	fd = open(p, O_RDONLY);
	fstat(fd, &st);
	close(fd);
	fstatat(AT_FDCWD, p, &st, AT_SYMLINK_NOFOLLOW);
	access(p, R_OK | W_OK);
	faccessat(AT_FDCWD, p, X_OK, 0);
	chmod(p, 0600);
	umask(022);
	/* getdents64 over a directory with fixed names (order may depend
	 * on the file system's hash; the names are fixed, d_ino is not
	 * printed without -v) */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	{
		char dents[4096];
		syscall(SYS_getdents64, fd, dents, sizeof dents);
		syscall(SYS_getdents64, fd, dents, sizeof dents);
	}
	syscall(SYS_getdents64, fd, buf, 0); /* EINVAL: too small */
	close(fd);
	unlink(p);
	rename("/nonexistent/a", "/nonexistent/b");
	mkdirat(AT_FDCWD, "/nonexistent/d", 0755);
}

static void memory(void)
{
	void *m, *b;

	b = sbrk(0);
	brk((char *)b + 8192);
	brk(b);
	m = mmap(NULL, 16384, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m, 4096, PROT_READ);
	madvise(m, 16384, MADV_DONTNEED);
	munmap(m, 16384);
	mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, -1, 0);
}

static void pipes(void)
{
	int p[2];
	char buf[16];
	struct pollfd pf[2];
	fd_set r;
	struct timeval tv = { 0, 0 };

	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	write(p[1], "ping", 4);
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	poll(pf, 2, 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	select(p[0] + 1, &r, NULL, NULL, &tv);
	read(p[0], buf, sizeof buf);
	read(p[0], buf, sizeof buf); /* EAGAIN */
	close(p[0]);
	close(p[1]);
}

static void unix_pair(void)
{
	int sv[2], fd, got;
	char a[] = "first-", b[] = "second", in1[6], in2[16];
	struct iovec iov[2] = { { a, 6 }, { b, 6 } }, rio[2] = { { in1, 6 }, { in2, 16 } };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh = { 0 };
	struct cmsghdr *c;

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	fd = open("/dev/null", O_RDONLY);
	memset(&ctl, 0, sizeof ctl);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	sendmsg(sv[0], &mh, MSG_NOSIGNAL);
	memset(&mh, 0, sizeof mh);
	memset(&ctl, 0, sizeof ctl);
	mh.msg_iov = rio;
	mh.msg_iovlen = 2;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
	recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC);
	c = CMSG_FIRSTHDR(&mh);
	if (c != NULL && c->cmsg_type == SCM_RIGHTS) {
		memcpy(&got, CMSG_DATA(c), sizeof got);
		close(got);
	}
	shutdown(sv[0], SHUT_WR);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

/* Brings the loopback interface of a new network namespace up (the script
 * runs the program in one, so the fixed ports are always free). */
static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static void inet(void)
{
	struct sockaddr_in sa = { 0 }, got;
	struct sockaddr_un su = { 0 };
	socklen_t len = sizeof got;
	int l, c, s, u1, u2, one = 1;
	char buf[8];

	/* TCP on loopback with fixed ports (a new network namespace would
	 * be cleaner; the ports are chosen high and fixed instead) */
	sa.sin_family = AF_INET;
	sa.sin_port = htons(42005);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	bind(l, (struct sockaddr *)&sa, sizeof sa);
	listen(l, 4);
	getsockname(l, (struct sockaddr *)&got, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	sa.sin_port = htons(42006);
	bind(c, (struct sockaddr *)&sa, sizeof sa);
	sa.sin_port = htons(42005);
	connect(c, (struct sockaddr *)&sa, sizeof sa);
	len = sizeof got;
	s = accept4(l, (struct sockaddr *)&got, &len, SOCK_CLOEXEC);
	sendto(c, "tcp!", 4, 0, NULL, 0);
	recvfrom(s, buf, sizeof buf, 0, NULL, NULL);
	close(s);
	close(c);
	close(l);
	/* UDP */
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_port = htons(42007);
	bind(u1, (struct sockaddr *)&sa, sizeof sa);
	u2 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	sa.sin_port = htons(42008);
	bind(u2, (struct sockaddr *)&sa, sizeof sa);
	sa.sin_port = htons(42007);
	sendto(u2, "udp", 3, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
	len = sizeof got;
	recvfrom(u1, buf, sizeof buf, 0, (struct sockaddr *)&got, &len);
	close(u1);
	close(u2);
	/* a unix socket bound to a path */
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof su.sun_path, "%s/sock", dir);
	u1 = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(u1, (struct sockaddr *)&su, sizeof su);
	u2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	connect(u2, (struct sockaddr *)&su, sizeof su);
	send(u2, "unix", 4, 0);
	recv(u1, buf, sizeof buf, 0);
	close(u1);
	close(u2);
	unlink(su.sun_path);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void signals(void)
{
	struct sigaction sa = { 0 }, old;
	sigset_t set, oldset;
	struct timespec ts = { 0, 1000 };
	int status;
	pid_t pid;

	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, &old);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_SETMASK, &oldset, NULL); /* delivers SIGUSR1 */
	nanosleep(&ts, NULL);
	/* a child that exits */
	pid = fork();
	if (pid == 0)
		_exit(3);
	wait4(pid, &status, 0, NULL);
	/* a child killed by a signal: it blocks in pause(); the parent
	 * kills it. */
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM); /* dies of it: SIGTERM is not blocked */
		_exit(0);
	}
	wait4(pid, &status, 0, NULL);
	clock_getres(CLOCK_MONOTONIC, &ts);
}

int main(int argc, char **argv)
{
	char *args[] = { argv[0], "--child", NULL };
	char *env[] = { "SYSREP_AGREE=1", NULL };

	if (argc > 1 && strcmp(argv[1], "--child") == 0) {
		write(1, "child\n", 6);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: prog DIR\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s", argv[1]);
	loopback_up();
	files();
	memory();
	pipes();
	unix_pair();
	inet();
	signals();
	execve(argv[0], args, env);
	return 1;
}
