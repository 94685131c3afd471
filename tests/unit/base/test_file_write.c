/* test_file_write: file_write_all writes every byte through short writes
 * and signals (a pipe a slow reader empties, under a 200 us timer with no
 * SA_RESTART, for its first MAX_ALARMS ticks); file_write_atomic gives back the bytes, mode 0644 under a
 * umask of 077, the mtime asked for (or the time of writing), replaces a
 * file, writes an empty one, and on failure returns -1 with errno, leaves
 * the name as it was and no temporary file; file_write_sync flushes a
 * file by name and reports a missing one. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/file_write.h"
#include "check.h"

enum { PIPE_BYTES = 1 << 20 };

/* The timer stops itself after this many ticks: under valgrind a signal
 * takes longer to deliver than the 200 us between them, and a timer that
 * never stopped left no time for the write (the suite's valgrind run
 * spun on this test for 16 minutes). */
#define MAX_ALARMS 200

static volatile sig_atomic_t alarms;
static timer_t ticker;

static void
on_alarm(int sig)
{
	static const struct itimerspec off;

	(void)sig;
	if (++alarms >= MAX_ALARMS)
		timer_settime(ticker, 0, &off, NULL);  /* async-signal-safe */
}

static void
fill(unsigned char *buf, size_t n)
{
	unsigned int seed = 12345;

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
}

/* The child's side of the pipe: reads slowly, so the writer blocks and
 * the timer interrupts it; exits 0 when it read exactly want. */
static void
slow_reader(int fd, const unsigned char *want)
{
	static unsigned char got[PIPE_BYTES + 1];
	size_t n = 0;
	ssize_t r;

	for (;;) {
		r = read(fd, got + n, n < PIPE_BYTES ? 4096 : 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		usleep(50);
	}
	_exit(r == 0 && n == PIPE_BYTES && memcmp(got, want, n) == 0 ? 0 : 1);
}

/* The whole file at path into buf (cap bytes): its length, or -1. */
static long
slurp(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL)
		return -1;
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return (long)n;
}

/* How many names in dir start with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void
test_write_all(void)
{
	static unsigned char data[PIPE_BYTES];
	struct sigaction sa;
	struct itimerspec every = { { 0, 200000 }, { 0, 200000 } }, off;
	struct sigevent ev;
	int p[2], status = -1, rc;
	pid_t child;

	fill(data, sizeof data);
	CHECK(pipe(p) == 0);
	child = fork();
	if (child == 0) {       /* before any CHECK: the child prints none */
		close(p[1]);
		slow_reader(p[0], data);
	}
	CHECK(child > 0);
	close(p[0]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;        /* no SA_RESTART: write returns early */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&ev, 0, sizeof ev);
	memset(&off, 0, sizeof off);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGALRM;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &ticker) == 0);
	timer_settime(ticker, 0, &every, NULL);
	rc = file_write_all(p[1], data, sizeof data);
	timer_settime(ticker, 0, &off, NULL);
	timer_delete(ticker);
	close(p[1]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	CHECK_INT(rc, 0);
	CHECK(alarms > 0);      /* the write was interrupted, or this proves nothing */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	signal(SIGALRM, SIG_DFL);

	errno = 0;
	CHECK(file_write_all(-1, "x", 1) == -1 && errno == EBADF);
	CHECK(file_write_all(-1, "", 0) == 0);  /* nothing to write */
}

/* dir/name, in a buffer the next call reuses. */
static const char *
in(const char *dir, const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

int
main(void)
{
	static char data[200000], back[300000];
	static const char *const made[] = { "page.html", "empty", "taken/inside" };
	char dir[] = "/tmp/test_file_write.XXXXXX", ro[64];
	const char *text = "<!doctype html><title>Confirmed</title>\n";
	struct stat st;
	time_t before;
	FILE *fp;

	test_write_all();

	fill((unsigned char *)data, sizeof data);
	CHECK(mkdtemp(dir) != NULL);

	/* Bytes back, 0644 whatever the umask, the mtime asked for. */
	umask(077);
	CHECK(file_write_atomic(dir, "page.html", data, sizeof data, 1600000000) == 0);
	CHECK(slurp(in(dir, "page.html"), back, sizeof back) == (long)sizeof data &&
	    memcmp(back, data, sizeof data) == 0);
	CHECK(stat(in(dir, "page.html"), &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK_INT(st.st_mtime, 1600000000);
	CHECK_INT(count_prefixed(dir, ".page.html."), 0);

	/* Replaced, not appended to; no mtime: the time of writing. */
	before = time(NULL);
	CHECK(file_write_atomic(dir, "page.html", text, strlen(text), -1) == 0);
	CHECK(slurp(in(dir, "page.html"), back, sizeof back) == (long)strlen(text) &&
	    memcmp(back, text, strlen(text)) == 0);
	CHECK(stat(in(dir, "page.html"), &st) == 0 && st.st_mtime >= before &&
	    st.st_mtime <= time(NULL));

	/* An empty file. */
	CHECK(file_write_atomic(dir, "empty", "", 0, 0) == 0);
	CHECK(stat(in(dir, "empty"), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 0 && (st.st_mode & 0777) == 0644 && st.st_mtime == 0);

	/* The temporary file is written, and the rename fails: the name is a
	 * directory that is not empty. -1, errno from rename, no temporary
	 * file left, the directory as it was. */
	CHECK(mkdir(in(dir, "taken"), 0755) == 0);
	fp = fopen(in(dir, "taken/inside"), "w");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	errno = 0;
	CHECK(file_write_atomic(dir, "taken", text, strlen(text), -1) == -1 &&
	    errno == EISDIR);
	CHECK_INT(count_prefixed(dir, ".taken."), 0);
	CHECK(stat(in(dir, "taken"), &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_INT(count_prefixed(in(dir, "taken"), "inside"), 1);

	/* A directory nothing can be written to: as root only a missing one
	 * (root writes through mode bits). */
	errno = 0;
	CHECK(file_write_atomic("/nonexistent/dir", "page.html", "x", 1, -1) == -1 &&
	    errno == ENOENT);
	if (geteuid() != 0) {
		snprintf(ro, sizeof ro, "%s/ro", dir);
		CHECK(mkdir(ro, 0555) == 0);
		errno = 0;
		CHECK(file_write_atomic(ro, "page.html", "x", 1, -1) == -1 &&
		    errno == EACCES);
		CHECK_INT(count_prefixed(ro, ""), 2);   /* "." and ".." */
		rmdir(ro);
	} else {
		printf("# as root: the unwritable-directory case is the missing one only\n");
	}

	/* A name too long for a path. */
	{
		char longname[PATH_MAX + 8];
		memset(longname, 'a', sizeof longname - 1);
		longname[sizeof longname - 1] = '\0';
		errno = 0;
		CHECK(file_write_atomic(dir, longname, "x", 1, -1) == -1 &&
		    errno == ENAMETOOLONG);
	}

	/* Flushed by name; a missing file is an error with errno. */
	CHECK(file_write_sync(in(dir, "page.html")) == 0);
	errno = 0;
	CHECK(file_write_sync("/nonexistent/x.csv") == -1 && errno == ENOENT);

	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
		unlink(in(dir, made[i]));
	rmdir(in(dir, "taken"));
	rmdir(dir);
	return check_exit();
}
