/* export_cache: export files on disk, generated once (see export_cache.h). */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/file_write.h"
#include "base/gzip.h"
#include "base/log.h"
#include "base/sha256.h"
#include "export/export_cache.h"

enum { DEFAULT_MAX_MB = 512, STALE_TMP_SECONDS = 3600 };

/* Where the entries are; LEGACY_DIR held XLSX files keyed without the
 * format version, which nothing names any more (the trim empties it). */
#define ENTRY_DIR "files"
#define LEGACY_DIR "xlsx"

static int
mkdir_1(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		log_err("export cache: mkdir %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* path and every missing parent, as mkdir -p does: the default directory,
 * var/cache, is relative, and a fresh checkout has no var/. */
static int
mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof buf) {
		log_err("export cache: path too long: %s", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i < len; i++) {
		if (buf[i] != '/' || buf[i - 1] == '/')
			continue;
		buf[i] = '\0';
		if (mkdir_1(buf) != 0)
			return -1;
		buf[i] = '/';
	}
	return mkdir_1(buf);
}

int
export_cache_init(struct export_cache *c, const char *dir,
    unsigned long long max_bytes)
{
	char sub[PATH_MAX];
	static const char *const subs[] = { ENTRY_DIR, "tmp", "lock" };

	memset(c, 0, sizeof *c);
	if (snprintf(c->dir, sizeof c->dir, "%s", dir) >= (int)sizeof c->dir) {
		log_err("export cache: directory name too long: %s", dir);
		return -1;
	}
	snprintf(c->tmpdir, sizeof c->tmpdir, "%s/tmp", c->dir);
	c->max_bytes = max_bytes ? max_bytes : (unsigned long long)DEFAULT_MAX_MB << 20;
	if (mkdir_p(c->dir) != 0)
		return -1;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		snprintf(sub, sizeof sub, "%s/%s", c->dir, subs[i]);
		if (mkdir_1(sub) != 0)
			return -1;
	}
	return 0;
}

/* Opens and locks path exclusively, waiting for a holder. The lock is the
 * file's: if the trim removed the name while we waited, we hold a lock on
 * a file nobody else can find, so we check the name still leads to our file
 * and try again if not. Returns the descriptor or -1. */
static int
lock_file(const char *path)
{
	for (;;) {
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			log_err("export cache: open %s: %s", path, strerror(errno));
			return -1;
		}
		while (flock(fd, LOCK_EX) != 0) {
			if (errno != EINTR) {
				log_err("export cache: flock %s: %s", path, strerror(errno));
				close(fd);
				return -1;
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
}

/* Records a hit: the lock file's mtime is the entry's last use. (Not the
 * entry's own mtime: nginx derives the ETag and Last-Modified of the file it
 * sends from it.) A missing lock file just means no hit recorded. */
static void
used(const char *lock)
{
	(void)utimensat(AT_FDCWD, lock, NULL, 0);
}

/* The gzip twin of a CSV entry about to be named path (from tmp, already
 * on disk): path.gz, renamed into place first, so that whoever finds the
 * entry finds its twin. Level 1: a CSV of every county's history is
 * hundreds of MB, which level 1 takes a few seconds over (nginx spent the
 * same at every download by a client accepting gzip, as browsers and
 * Python's requests do) for a file 8 % larger than level 6's at a third of
 * the time. Without a twin (disk full, say) the entry is still good:
 * nginx compresses it as it sends it. */
static void
make_twin(const char *tmp, const char *path)
{
	char gz_tmp[PATH_MAX], gz[PATH_MAX];

	if (snprintf(gz_tmp, sizeof gz_tmp, "%s.gz", tmp) >= (int)sizeof gz_tmp ||
	    snprintf(gz, sizeof gz, "%s.gz", path) >= (int)sizeof gz)
		return;
	if (gzip_file(tmp, gz_tmp, 1) != 0 || rename(gz_tmp, gz) != 0) {
		log_warn("export cache: no gzip twin for %s: %s", path,
		    strerror(errno));
		unlink(gz_tmp);
	}
}

int
export_cache_get(struct export_cache *c, long long version,
    const char *key, const char *ext, export_cache_fill fill, void *arg,
    char *name, size_t namelen, int *generated)
{
	char hash[65], path[PATH_MAX], lock[PATH_MAX], tmp[PATH_MAX];
	size_t vlen = strlen(key) + 32;
	char *vkey = malloc(vlen);
	int fd, lfd, rc = -1;

	*generated = 0;
	if (vkey == NULL) {
		log_err("export cache: out of memory");
		return -1;
	}
	snprintf(vkey, vlen, "%lld\n%s", version, key);
	if (sha256_hex(vkey, strlen(vkey), hash) != 0) {
		free(vkey);
		log_err("export cache: cannot hash the key (out of memory)");
		return -1;
	}
	free(vkey);
	if (snprintf(name, namelen, ENTRY_DIR "/%lld-%s.%s", version, hash, ext) >=
	    (int)namelen) {
		log_err("export cache: name buffer too small");
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", c->dir, name);
	snprintf(lock, sizeof lock, "%s/lock/%s.lock", c->dir, hash);

	/* The common case: there already. */
	if (access(path, F_OK) == 0) {
		used(lock);
		return 0;
	}
	if ((lfd = lock_file(lock)) < 0)
		return -1;
	/* Someone may have made it while we waited for the lock. */
	if (access(path, F_OK) == 0) {
		used(lock);
		rc = 0;
		goto out;
	}
	if (snprintf(tmp, sizeof tmp, "%s/%s.XXXXXX", c->tmpdir, hash) >= (int)sizeof tmp ||
	    (fd = mkstemp(tmp)) < 0) {
		log_err("export cache: mkstemp %s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	if (fill(arg, tmp, c->tmpdir) != 0)
		goto fail;
	/* Durable before it has its name: a crash must not leave a name on
	 * a half-written file. */
	if (file_write_sync(tmp) != 0) {
		log_err("export cache: fsync %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (strcmp(ext, "csv") == 0)
		make_twin(tmp, path);
	if (chmod(tmp, 0644) != 0 || rename(tmp, path) != 0) {
		log_err("export cache: rename %s: %s", tmp, strerror(errno));
		goto fail;
	}
	*generated = 1;
	rc = 0;
	goto out;
fail:
	unlink(tmp);
out:
	close(lfd);     /* releases the lock */
	return rc;
}

/* ---- Trim ------------------------------------------------------------ */

struct entry {
	char               name[96];
	time_t             mtime;
	long               mtime_ns;
	unsigned long long size;
};

static int
older_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
remove_at(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return 0;
	if (unlink(path) != 0 && errno != ENOENT) {
		log_warn("export cache: unlink %s: %s", path, strerror(errno));
		return 0;
	}
	return 1;
}

/* An entry's last use: its creation, or the last hit (the mtime of its
 * lock file, see used()), whichever is later. hash is "<sha256>.<ext>". */
static void
last_use(struct export_cache *c, struct entry *e, const char *hash)
{
	char lock[PATH_MAX];
	struct stat st;
	size_t len = strcspn(hash, ".");

	if (snprintf(lock, sizeof lock, "%s/lock/%.*s.lock", c->dir, (int)len,
	    hash) >= (int)sizeof lock || stat(lock, &st) != 0)
		return;
	if (st.st_mtim.tv_sec > e->mtime || (st.st_mtim.tv_sec == e->mtime &&
	    st.st_mtim.tv_nsec > e->mtime_ns)) {
		e->mtime = st.st_mtim.tv_sec;
		e->mtime_ns = st.st_mtim.tv_nsec;
	}
}

/* Reads DIR/sub. Removes entries of versions older than version as it
 * goes; returns the others in *out (malloc'd), or -1. */
static long
scan(struct export_cache *c, const char *sub, long long version,
    struct entry **out, int *removed)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct entry *list = NULL, *p;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/%s", c->dir, sub);
	if ((d = opendir(dir)) == NULL) {
		log_err("export cache: opendir %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *end;
		long long v;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof list->name)
			continue;
		v = strtoll(de->d_name, &end, 10);
		if (end == de->d_name || *end != '-')
			continue;       /* not an entry: leave it alone */
		if (v < version) {
			*removed += remove_at(dir, de->d_name);
			continue;
		}
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = realloc(list, cap * sizeof *p)) == NULL) {
				log_err("export cache: out of memory");
				free(list);
				closedir(d);
				return -1;
			}
			list = p;
		}
		snprintf(list[n].name, sizeof list[n].name, "%s", de->d_name);
		list[n].mtime = st.st_mtim.tv_sec;
		list[n].mtime_ns = st.st_mtim.tv_nsec;
		list[n].size = (unsigned long long)st.st_size;
		last_use(c, &list[n], end + 1);
		n++;
	}
	closedir(d);
	*out = list;
	return (long)n;
}

/* Removes files in DIR/sub older than max_age seconds (crashed writers'
 * temporary files) and, for DIR/lock, lock files nobody holds. */
static int
sweep(struct export_cache *c, const char *sub, int locks)
{
	char dir[PATH_MAX], path[PATH_MAX];
	time_t now = time(NULL);
	struct dirent *de;
	int removed = 0;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/%s", c->dir, sub);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    now - st.st_mtime < STALE_TMP_SECONDS)
			continue;
		if (!locks) {
			removed += remove_at(dir, de->d_name);
			continue;
		}
		/* A lock file may go only while we hold it: a waiter on it
		 * then finds the name gone and makes a new one (lock_file). */
		if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			removed += remove_at(dir, de->d_name);
		close(fd);
	}
	closedir(d);
	return removed;
}

/* Empties DIR/xlsx, the layout before DIR/files, when there is one: its
 * entries are not found any more. Returns the number removed. */
static int
remove_legacy(struct export_cache *c)
{
	char dir[PATH_MAX];
	struct entry *list = NULL;
	int removed = 0;

	snprintf(dir, sizeof dir, "%s/" LEGACY_DIR, c->dir);
	if (access(dir, F_OK) != 0)
		return 0;
	if (scan(c, LEGACY_DIR, LLONG_MAX, &list, &removed) >= 0)
		free(list);
	return removed;
}

int
export_cache_trim(struct export_cache *c, long long version, const char *keep)
{
	char lock[PATH_MAX], dir[PATH_MAX];
	unsigned long long total = 0;
	struct entry *list = NULL;
	int fd, removed = 0;
	long n;

	/* One trimmer at a time; a second has nothing to add. */
	snprintf(lock, sizeof lock, "%s/lock/.trim", c->dir);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		log_err("export cache: open %s: %s", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return 0;
	}
	if (keep && strncmp(keep, ENTRY_DIR "/", sizeof ENTRY_DIR) == 0)
		keep += sizeof ENTRY_DIR;
	if ((n = scan(c, ENTRY_DIR, version, &list, &removed)) < 0) {
		close(fd);
		return -1;
	}
	for (long i = 0; i < n; i++)
		total += list[i].size;
	/* Least recently used first. O(n log n) in the number of entries,
	 * which the size bound keeps small. */
	if (n > 1)
		qsort(list, (size_t)n, sizeof *list, older_first);
	snprintf(dir, sizeof dir, "%s/" ENTRY_DIR, c->dir);
	for (long i = 0; i < n && total > c->max_bytes; i++) {
		if (keep && strcmp(list[i].name, keep) == 0)
			continue;
		if (remove_at(dir, list[i].name)) {
			total -= list[i].size;
			removed++;
		}
	}
	free(list);
	removed += remove_legacy(c);
	removed += sweep(c, "tmp", 0);
	removed += sweep(c, "lock", 1);
	close(fd);
	return removed;
}

unsigned long long
export_cache_size(struct export_cache *c)
{
	struct entry *list = NULL;
	unsigned long long total = 0;
	int removed = 0;
	long n = scan(c, ENTRY_DIR, LLONG_MIN, &list, &removed);

	for (long i = 0; i < n; i++)
		total += list[i].size;
	free(list);
	return total;
}
