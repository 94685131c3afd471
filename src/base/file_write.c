/* file_write: files written whole before they have their name (see
 * file_write.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_write.h"

int
file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			/* Nothing written and no error said: stop rather
			 * than loop for ever. */
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_write_atomic(const char *dir, const char *name, const void *data,
    size_t len, time_t mtime)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct timespec ts[2];
	int fd, rc = 0, saved = 0;

	if (snprintf(tmp, sizeof tmp, "%s/.%s.%ld", dir, name, (long)getpid()) >=
	    (int)sizeof tmp ||
	    snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -1;
	/* fchmod: the umask may have taken bits off open's 0644. A name must
	 * never land on short content after a crash: fdatasync (the data and
	 * the size, all a reader needs) before the rename. */
	ts[0].tv_sec = ts[1].tv_sec = mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (file_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 ||
	    (mtime >= 0 && futimens(fd, ts) != 0) || fdatasync(fd) != 0) {
		rc = -1;
		saved = errno;
	}
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		unlink(tmp);
		errno = saved;
	}
	return rc;
}

int
file_write_sync(const char *path)
{
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* Read-only: closing it cannot lose data. */
	close(fd);
	return 0;
}
