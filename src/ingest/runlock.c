/* runlock: the single-run lock (see runlock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/log.h"
#include "ingest/runlock.h"

/* The pid the holder wrote, or 0 when the file holds none (yet). */
static pid_t
read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	long v;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || v <= 0)
		return 0;
	return (pid_t)v;
}

int
runlock_acquire(const char *db_path, pid_t *holder)
{
	char path[4096], pid[32];
	int fd, n;

	*holder = 0;
	if ((size_t)snprintf(path, sizeof path, "%s.lock", db_path) >= sizeof path) {
		log_err("lock: database path too long");
		return -2;
	}
	/* O_CLOEXEC: a child process must not inherit (and so keep) the lock. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		log_err("lock: cannot open %s: %s", path, strerror(errno));
		return -2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		if (e == EWOULDBLOCK) {
			*holder = read_pid(fd);
			close(fd);
			return -1;
		}
		log_err("lock: cannot lock %s: %s", path, strerror(e));
		close(fd);
		return -2;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("lock: cannot record pid in %s: %s", path, strerror(errno));
	return fd;
}

void
runlock_release(int fd)
{
	if (fd < 0)
		return;
	/* Empty the pid first, so nobody names a finished run as the holder. */
	if (ftruncate(fd, 0) != 0)
		log_warn("lock: cannot clear pid: %s", strerror(errno));
	close(fd);
}
