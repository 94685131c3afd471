/* test_export_cache: generation once, hits, the trim (old versions, least
 * recently used, the size bound, the old xlsx/ layout), concurrent identical
 * requests, CSV entries, a directory made with its parents or taken away. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "export/export_cache.h"

static char root[64];
static int fills;

struct fill_arg {
	size_t      size;
	int         fail;
	const char *counter;    /* a file to append one byte to per fill */
	int         sleep_ms;
};

static int
fill(void *arg, const char *path, const char *tmpdir)
{
	struct fill_arg *a = arg;
	FILE *fp;

	fills++;
	if (a->counter) {
		int fd = open(a->counter, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (fd >= 0) {
			(void)!write(fd, "x", 1);
			close(fd);
		}
	}
	if (a->sleep_ms)
		usleep((useconds_t)a->sleep_ms * 1000);
	if (strncmp(path, tmpdir, strlen(tmpdir)) != 0)
		return -1;      /* must be written where the rename is atomic */
	if ((fp = fopen(path, "wb")) == NULL)
		return -1;
	for (size_t i = 0; i < a->size; i++)
		fputc('z', fp);
	fclose(fp);
	return a->fail ? -1 : 0;
}

static int
exists(const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	return stat(path, &st) == 0;
}

static int
count(const char *sub)
{
	char path[512];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof path, "%s/%s", root, sub);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Sets an entry's mtime to `ago` seconds before now. */
static void
age(const char *rel, int ago)
{
	char path[512];
	struct timespec t[2];

	snprintf(path, sizeof path, "%s/%s", root, rel);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= ago;
	t[1] = t[0];
	utimensat(AT_FDCWD, path, t, 0);
}

/* Ages an entry and its lock file (whose mtime records the last hit). */
static void
age_entry(const char *name, int ago)
{
	char lock[128];
	const char *hash = strchr(name, '-') + 1;

	snprintf(lock, sizeof lock, "lock/%.64s.lock", hash);
	age(name, ago);
	age(lock, ago);
}

static void
rm_rf(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)!system(cmd);
}

int
main(void)
{
	struct export_cache c;
	struct fill_arg a = { 1000, 0, NULL, 0 };
	char name[5][128], other[128], counter[128];
	int gen;

	snprintf(root, sizeof root, "/tmp/export-cache.XXXXXX");
	if (mkdtemp(root) == NULL)
		return 2;
	CHECK_INT(export_cache_init(&c, root, 3000), 0);
	CHECK(count("files") == 0 && count("tmp") == 0 && count("lock") == 0);
	CHECK_INT(c.max_bytes, 3000);

	/* A miss generates; the name is version-sha256.xlsx. */
	CHECK_INT(export_cache_get(&c, 7, "xlsx?level=country", "xlsx", fill, &a, name[0],
	    sizeof name[0], &gen), 0);
	CHECK_INT(gen, 1);
	CHECK_INT(fills, 1);
	CHECK_INT(strlen(name[0]), strlen("files/7-.xlsx") + 64);
	CHECK(strncmp(name[0], "files/7-", 8) == 0);
	CHECK(exists(name[0]));
	CHECK_INT(count("tmp"), 0);             /* renamed, not copied */
	/* A hit does not. */
	CHECK_INT(export_cache_get(&c, 7, "xlsx?level=country", "xlsx", fill, &a, other,
	    sizeof other, &gen), 0);
	CHECK_INT(gen, 0);
	CHECK_INT(fills, 1);
	CHECK_STR(other, name[0]);
	/* Another request or another data version is another entry. */
	CHECK_INT(export_cache_get(&c, 7, "xlsx?level=county", "xlsx", fill, &a, other,
	    sizeof other, &gen), 0);
	CHECK(gen == 1 && strcmp(other, name[0]) != 0);
	CHECK_INT(export_cache_get(&c, 8, "xlsx?level=country", "xlsx", fill, &a, other,
	    sizeof other, &gen), 0);
	CHECK(gen == 1 && strncmp(other, "files/8-", 8) == 0);
	CHECK_INT(export_cache_size(&c), 3000);

	/* A failed fill leaves neither an entry nor a temporary file. */
	a.fail = 1;
	CHECK_INT(export_cache_get(&c, 7, "xlsx?broken", "xlsx", fill, &a, other, sizeof other,
	    &gen), -1);
	CHECK_INT(count("tmp"), 0);
	CHECK_INT(count("files"), 3);
	a.fail = 0;

	/* Trim: a newer version (8) removes the two entries of version 7. */
	CHECK_INT(export_cache_trim(&c, 8, NULL), 2);
	CHECK_INT(count("files"), 1);
	CHECK_INT(export_cache_size(&c), 1000);
	/* ... but an older version never removes newer ones. */
	CHECK_INT(export_cache_trim(&c, 7, NULL), 0);
	CHECK_INT(count("files"), 1);
	rm_rf(root);
	CHECK_INT(export_cache_init(&c, root, 3000), 0);

	/* Least recently used first, down to the bound (3 x 1000 bytes). */
	for (int i = 0; i < 5; i++) {
		char canon[32];
		snprintf(canon, sizeof canon, "xlsx?n=%d", i);
		CHECK_INT(export_cache_get(&c, 9, canon, "xlsx", fill, &a, name[i],
		    sizeof name[i], &gen), 0);
		age_entry(name[i], 500 - 100 * i);    /* 0 oldest ... 4 newest */
	}
	/* Using entry 0 makes it the most recently used, without touching the
	 * file itself (nginx's ETag and Last-Modified come from its mtime). */
	fills = 0;
	{
		struct stat before, after;
		char path[256];
		snprintf(path, sizeof path, "%s/%s", root, name[0]);
		stat(path, &before);
		CHECK_INT(export_cache_get(&c, 9, "xlsx?n=0", "xlsx", fill, &a, other,
		    sizeof other, &gen), 0);
		CHECK(gen == 0 && fills == 0);
		stat(path, &after);
		CHECK(before.st_mtime == after.st_mtime);
	}
	CHECK_INT(export_cache_trim(&c, 9, NULL), 2);
	CHECK(exists(name[0]));
	CHECK(!exists(name[1]));
	CHECK(!exists(name[2]));
	CHECK(exists(name[3]) && exists(name[4]));
	CHECK_INT(export_cache_size(&c), 3000);
	/* keep survives even when it is the oldest and over the bound. */
	c.max_bytes = 1000;
	age_entry(name[3], 10000);
	/* Two entries, and entry 3's lock file: unheld and over an hour old. */
	CHECK_INT(export_cache_trim(&c, 9, name[3]), 3);
	CHECK(exists(name[3]));
	CHECK_INT(count("lock"), 4);    /* 0, 1, 2, 4: young locks stay */
	CHECK_INT(count("files"), 1);

	/* Temporary files a crash left behind go after an hour; new ones stay. */
	{
		char p1[256], p2[256];
		FILE *fp;
		snprintf(p1, sizeof p1, "%s/tmp/abc.old", root);
		snprintf(p2, sizeof p2, "%s/tmp/abc.new", root);
		if ((fp = fopen(p1, "w")) != NULL)
			fclose(fp);
		if ((fp = fopen(p2, "w")) != NULL)
			fclose(fp);
		age("tmp/abc.old", 7200);
		CHECK_INT(export_cache_trim(&c, 9, NULL), 1);
		CHECK(!exists("tmp/abc.old"));
		CHECK(exists("tmp/abc.new"));
	}

	/* Two identical requests at once generate once; both get the file. */
	snprintf(counter, sizeof counter, "%s/fills", root);
	a.counter = counter;
	a.sleep_ms = 300;
	{
		pid_t kids[3];
		int status, okays = 0;
		struct stat st;
		for (int i = 0; i < 3; i++) {
			if ((kids[i] = fork()) == 0) {
				char n[128];
				int g;
				_exit(export_cache_get(&c, 9, "xlsx?same", "xlsx", fill, &a, n,
				    sizeof n, &g) == 0 && exists(n) ? 0 : 1);
			}
		}
		for (int i = 0; i < 3; i++)
			if (waitpid(kids[i], &status, 0) == kids[i] && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0)
				okays++;
		CHECK_INT(okays, 3);
		CHECK(stat(counter, &st) == 0 && st.st_size == 1);
	}
	a.counter = NULL;
	a.sleep_ms = 0;

	/* A CSV entry is named .csv; the key tells entries apart, whatever the
	 * extension. */
	CHECK_INT(export_cache_get(&c, 9, "export-1\ncsv?x", "csv", fill, &a, other,
	    sizeof other, &gen), 0);
	CHECK(gen == 1 && strcmp(other + strlen(other) - 4, ".csv") == 0);
	CHECK_INT(export_cache_get(&c, 9, "export-2\ncsv?x", "csv", fill, &a, name[0],
	    sizeof name[0], &gen), 0);
	CHECK(gen == 1 && strcmp(other, name[0]) != 0);

	/* The layout before files/ (xlsx/, keyed without the format version):
	 * its entries go at the next trim, whatever their version. */
	{
		char p[256];
		FILE *fp;
		snprintf(p, sizeof p, "%s/xlsx", root);
		mkdir(p, 0755);
		snprintf(p, sizeof p, "%s/xlsx/99-%064d.xlsx", root, 0);
		if ((fp = fopen(p, "w")) != NULL)
			fclose(fp);
		CHECK(exists("xlsx/99-0000000000000000000000000000000000000000000000000000000000000000.xlsx"));
		CHECK(export_cache_trim(&c, 9, NULL) >= 1);
		CHECK_INT(count("xlsx"), 0);
	}

	/* The cache directory taken away under a running program: a failure,
	 * not a crash; init makes it again. */
	rm_rf(root);
	CHECK_INT(export_cache_get(&c, 9, "xlsx?gone", "xlsx", fill, &a, other,
	    sizeof other, &gen), -1);
	CHECK_INT(export_cache_init(&c, root, 3000), 0);
	CHECK_INT(export_cache_get(&c, 9, "xlsx?gone", "xlsx", fill, &a, other,
	    sizeof other, &gen), 0);
	CHECK(gen == 1 && exists(other));

	/* Missing parents are made, as mkdir -p does (the default directory
	 * is var/cache, relative, and a fresh checkout has no var/). */
	{
		char deep[128], file[128];
		FILE *fp;
		snprintf(deep, sizeof deep, "%s/var//x/cache", root);
		CHECK_INT(export_cache_init(&c, deep, 3000), 0);
		CHECK(exists("var/x/cache/files") && exists("var/x/cache/tmp") &&
		    exists("var/x/cache/lock"));
		CHECK_INT(export_cache_get(&c, 9, "xlsx?deep", "xlsx", fill, &a, other,
		    sizeof other, &gen), 0);
		CHECK(gen == 1);
		/* A path through a file is no cache at all: -1, nothing made. */
		snprintf(file, sizeof file, "%s/plain", root);
		if ((fp = fopen(file, "w")) != NULL)
			fclose(fp);
		snprintf(deep, sizeof deep, "%s/plain/cache", root);
		CHECK_INT(export_cache_init(&c, deep, 3000), -1);
	}
	rm_rf(root);
	return check_exit();
}
