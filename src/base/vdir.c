/* vdir: versioned directories published through a symbolic link (see
 * vdir.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/vdir.h"

long long
vdir_version(const char *name)
{
	long long v = 0;
	const char *p = name;

	if (*p++ != 'v' || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	/* A tag is letters and digits: the name is used in paths. */
	if (*p == '-') {
		if (*++p == '\0')
			return -1;
		for (; *p != '\0'; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z')))
				return -1;
	}
	return *p == '\0' ? v : -1;
}

static int
join(char *out, size_t len, const char *root, const char *name)
{
	int n = snprintf(out, len, "%s/%s", root, name);

	if (n < 0 || (size_t)n >= len) {
		log_err("vdir: path too long: %s/%s", root, name);
		return -1;
	}
	return 0;
}

int
vdir_current(const char *root, char *name, size_t len)
{
	char link[PATH_MAX];
	ssize_t n;

	if (join(link, sizeof link, root, "current") != 0)
		return -1;
	if ((n = readlink(link, name, len - 1)) < 0)
		return errno == ENOENT ? 0 : -1;
	name[n] = '\0';
	return vdir_version(name) >= 0 ? 1 : -1;
}

/* The lock every change of ROOT/current is made under: an fd, or -1. */
static int
lock_root(const char *root)
{
	char path[PATH_MAX];
	int fd;

	if (join(path, sizeof path, root, ".lock") != 0)
		return -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		log_err("vdir: %s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			log_err("vdir: flock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Removes the directory name in dirfd and everything in it, descending
 * by file descriptor (links are removed, never followed), at most depth
 * levels down. */
static void
remove_tree(int dirfd, const char *name, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (depth > 0 &&
	    (fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		if ((d = fdopendir(fd)) == NULL) {
			close(fd);
			return;
		}
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (unlinkat(fd, de->d_name, 0) != 0 && errno == EISDIR)
				remove_tree(fd, de->d_name, depth - 1);
		}
		closedir(d);
	}
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		log_warn("vdir: cannot remove %s: %s", name, strerror(errno));
}

/* Removes the version directories other than keep and prev (either may be
 * ""). Not links, not other files: only what vdir_version recognises. */
static void
prune(const char *root, const char *keep, const char *prev)
{
	struct dirent *de;
	DIR *d;

	if ((d = opendir(root)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (vdir_version(de->d_name) < 0 || strcmp(de->d_name, keep) == 0 ||
		    strcmp(de->d_name, prev) == 0 || de->d_type == DT_LNK)
			continue;
		remove_tree(dirfd(d), de->d_name, 64);
	}
	closedir(d);
}

/* Points ROOT/current at name: a new link renamed over the old one. */
static int
flip(const char *root, const char *name)
{
	char tmp[PATH_MAX], link[PATH_MAX];

	if (join(tmp, sizeof tmp, root, ".current.tmp") != 0 ||
	    join(link, sizeof link, root, "current") != 0)
		return -1;
	/* Under the lock no one else uses the temporary name; one left by a
	 * crash goes first. */
	unlink(tmp);
	if (symlink(name, tmp) != 0 || rename(tmp, link) != 0) {
		log_err("vdir: cannot point %s at %s: %s", link, name, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
vdir_publish(const char *root, const char *name, vdir_check_fn check, void *arg)
{
	long long version = vdir_version(name);
	char prev[NAME_MAX + 1];
	int lock, have, rc;

	if (version < 0) {
		log_err("vdir: %s is not a version's name", name);
		return -1;
	}
	/* Already current: the common case, no lock needed to see it. */
	if (vdir_current(root, prev, sizeof prev) == 1 && strcmp(prev, name) == 0)
		return 1;
	if ((lock = lock_root(root)) < 0)
		return -1;
	have = vdir_current(root, prev, sizeof prev);
	if (have == 1 && strcmp(prev, name) == 0)
		rc = 1;
	else if (check(arg, version) != 1)
		rc = 0;
	else if (flip(root, name) != 0)
		rc = -1;
	else {
		prune(root, name, have == 1 ? prev : "");
		rc = 1;
	}
	close(lock);
	return rc;
}

int
vdir_withdraw_unless(const char *root, long long version)
{
	char name[NAME_MAX + 1], link[PATH_MAX];
	int lock, have, rc = 0;

	if (access(root, F_OK) != 0 && errno == ENOENT)
		return 0;
	if ((lock = lock_root(root)) < 0)
		return -1;
	/* An unreadable link (-1) is withdrawn too: readers must not use it. */
	have = vdir_current(root, name, sizeof name);
	if (have != 0 && (have < 0 || vdir_version(name) != version)) {
		if (join(link, sizeof link, root, "current") != 0 ||
		    (unlink(link) != 0 && errno != ENOENT)) {
			log_err("vdir: cannot remove %s/current: %s", root, strerror(errno));
			rc = -1;
		} else
			rc = 1;
	}
	close(lock);
	return rc;
}
