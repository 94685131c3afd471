/* vdir: a directory published in versions, for readers that cannot ask
 * which version is current (nginx's try_files). ROOT holds one directory
 * per version, named "v<N>" or "v<N>-<tag>" (the tag tells apart two
 * builds of the same version), and ROOT/current, a symbolic link to the one
 * readers use. Writers change the link only under an flock on ROOT/.lock,
 * and only after asking (under that lock) whether the version is still the
 * newest, so a writer that produced an old version can never make it
 * current after the newer one was published or withdrawn. The link is
 * replaced by rename() (a reader sees the old or the new one, never none),
 * or removed (readers then find nothing and go to the program). Knows
 * nothing of pages or databases. */
#ifndef COVID_VDIR_H
#define COVID_VDIR_H

#include <stddef.h>

/* The version a name "v<N>[-tag]" stands for, or -1 when it is not one. */
long long vdir_version(const char *name);

/* The name ROOT/current points to, into name (len bytes): 1, or 0 when
 * there is no current link, or -1 (unreadable, or not a version's name). */
int vdir_current(const char *root, char *name, size_t len);

/* Says, under the lock, whether version is still the one to publish:
 * 1 yes, 0 no (a newer one exists), -1 cannot tell (treated as no). */
typedef int (*vdir_check_fn)(void *arg, long long version);

/* Makes ROOT/name current, when it is not already and check(arg, version
 * of name) says so, then removes every version directory but the new
 * current one and the one before it (a reader may be reading it still).
 * ROOT and ROOT/name must exist. Returns 1 published (or was already), 0
 * refused by check, -1 on error (logged). */
int vdir_publish(const char *root, const char *name, vdir_check_fn check,
    void *arg);

/* For the writer of the data, after it changed: removes ROOT/current
 * unless it names version (under the lock; its directory stays until the
 * next publish prunes it). A missing ROOT is fine: nothing to withdraw.
 * Returns 1 withdrawn, 0 nothing to do, -1 on error (logged). */
int vdir_withdraw_unless(const char *root, long long version);

#endif
