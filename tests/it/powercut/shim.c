/* A power cut for the tests (LD_PRELOAD), after LazyFS: every change to a
 * file under $LINLI_POWERCUT_DIR is appended to $LINLI_POWERCUT_LOG as it
 * happens, and every fsync/fdatasync of such a file as an 'S' entry. The
 * process's writes still reach the real files (sled reads them back); after
 * the test kills the process, it rebuilds the folder from the copy it took
 * before the start plus only the writes a later sync made durable: what a
 * power cut leaves. sync_file_range (sled's own flush) is passed through and
 * made durable by nothing, as on a disk with a write cache.
 *
 * Log entries, each written by one writev (a torn last entry is dropped):
 *   'W' u32 path_len u64 offset u64 data_len path data   a write
 *   'S' u32 path_len u64 0      u64 0        path        fsync/fdatasync
 *   'T' u32 path_len u64 length u64 0        path        ftruncate / O_TRUNC
 *   'C' u32 path_len u64 0      u64 0        path        created (O_CREAT)
 *   'U' u32 path_len u64 0      u64 0        path        unlinked
 *   'R' u32 path_len u64 0      u64 new_len  path new    renamed
 * Metadata (create, truncate, unlink, rename) counts as durable at once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FD 4096
static char *paths[MAX_FD];
static char dir[PATH_MAX];
static size_t dir_len;
static int log_fd = -1;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_open64)(const char *, int, ...);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);

__attribute__((constructor)) static void init(void) {
#define L(n) real_##n = dlsym(RTLD_NEXT, #n)
    L(write); L(pwrite64); L(pwrite); L(writev); L(open64); L(open); L(openat); L(openat64);
    L(close); L(fsync); L(fdatasync); L(ftruncate64); L(ftruncate); L(rename); L(renameat);
    L(unlink); L(unlinkat);
    const char *d = getenv("LINLI_POWERCUT_DIR"), *l = getenv("LINLI_POWERCUT_LOG");
    if (!d || !l || strlen(d) + 2 >= sizeof dir) return;
    strcpy(dir, d);
    dir_len = strlen(dir);
    while (dir_len > 1 && dir[dir_len - 1] == '/') dir[--dir_len] = 0;
    log_fd = real_open64(l, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* An absolute path for `p` (relative to cwd), or NULL when outside dir. */
static char *watched(const char *p) {
    char buf[PATH_MAX * 2];
    if (log_fd < 0 || !p) return NULL;
    if (p[0] == '/') snprintf(buf, sizeof buf, "%s", p);
    else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) return NULL;
        snprintf(buf, sizeof buf, "%s/%s", cwd, p);
    }
    if (strncmp(buf, dir, dir_len) != 0 || (buf[dir_len] != '/' && buf[dir_len] != 0)) return NULL;
    return strdup(buf);
}

static void entry(char kind, const char *path, uint64_t a, const void *data, uint64_t len) {
    uint32_t pl = (uint32_t)strlen(path);
    char head[1 + 4 + 8 + 8];
    head[0] = kind;
    memcpy(head + 1, &pl, 4);
    memcpy(head + 5, &a, 8);
    memcpy(head + 13, &len, 8);
    struct iovec v[3] = {{head, sizeof head}, {(void *)path, pl}, {(void *)data, len}};
    real_writev(log_fd, v, data ? 3 : 2);
}

static void opened(int fd, const char *p, int flags) {
    if (fd < 0 || fd >= MAX_FD) return;
    char *w = watched(p);
    pthread_mutex_lock(&mu);
    free(paths[fd]);
    paths[fd] = w;
    if (w && (flags & O_CREAT)) entry('C', w, 0, NULL, 0);
    if (w && (flags & O_TRUNC)) entry('T', w, 0, NULL, 0);
    pthread_mutex_unlock(&mu);
}

static void wrote(int fd, const void *buf, ssize_t n, int64_t off) {
    if (n <= 0 || fd < 0 || fd >= MAX_FD || !paths[fd]) return;
    pthread_mutex_lock(&mu);
    if (paths[fd]) entry('W', paths[fd], (uint64_t)off, buf, (uint64_t)n);
    pthread_mutex_unlock(&mu);
}

static void synced(int fd) {
    if (fd < 0 || fd >= MAX_FD || !paths[fd]) return;
    pthread_mutex_lock(&mu);
    if (paths[fd]) entry('S', paths[fd], 0, NULL, 0);
    pthread_mutex_unlock(&mu);
}

static int64_t position_before(int fd, size_t n) {
    if (fd < 0 || fd >= MAX_FD || !paths[fd]) return 0;
    if (fcntl(fd, F_GETFL) & O_APPEND) {
        struct stat st;
        return fstat(fd, &st) == 0 ? st.st_size : 0;
    }
    (void)n;
    return lseek(fd, 0, SEEK_CUR);
}

ssize_t write(int fd, const void *buf, size_t n) {
    int64_t off = position_before(fd, n);
    ssize_t r = real_write(fd, buf, n);
    wrote(fd, buf, r, off);
    return r;
}
ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) {
    ssize_t r = real_pwrite64(fd, buf, n, off);
    wrote(fd, buf, r, off);
    return r;
}
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    ssize_t r = real_pwrite(fd, buf, n, off);
    wrote(fd, buf, r, off);
    return r;
}
ssize_t writev(int fd, const struct iovec *iov, int cnt) {
    int64_t off = position_before(fd, 0);
    ssize_t r = real_writev(fd, iov, cnt);
    for (int i = 0; i < cnt && r > 0; i++) {
        ssize_t n = (ssize_t)iov[i].iov_len < r ? (ssize_t)iov[i].iov_len : r;
        wrote(fd, iov[i].iov_base, n, off);
        off += n;
        r -= n;
    }
    return r;
}

#define MODE_ARG(flags) mode_t mode = 0; if (flags & (O_CREAT | O_TMPFILE)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
int open64(const char *p, int flags, ...) { MODE_ARG(flags); int fd = real_open64(p, flags, mode); opened(fd, p, flags); return fd; }
int open(const char *p, int flags, ...) { MODE_ARG(flags); int fd = real_open(p, flags, mode); opened(fd, p, flags); return fd; }
int openat(int d, const char *p, int flags, ...) {
    MODE_ARG(flags);
    int fd = real_openat(d, p, flags, mode);
    if (d == AT_FDCWD || p[0] == '/') opened(fd, p, flags);
    return fd;
}
int openat64(int d, const char *p, int flags, ...) {
    MODE_ARG(flags);
    int fd = real_openat64(d, p, flags, mode);
    if (d == AT_FDCWD || p[0] == '/') opened(fd, p, flags);
    return fd;
}
int close(int fd) {
    if (fd >= 0 && fd < MAX_FD && paths[fd]) {
        pthread_mutex_lock(&mu);
        free(paths[fd]);
        paths[fd] = NULL;
        pthread_mutex_unlock(&mu);
    }
    return real_close(fd);
}
int fsync(int fd) { int r = real_fsync(fd); if (r == 0) synced(fd); return r; }
int fdatasync(int fd) { int r = real_fdatasync(fd); if (r == 0) synced(fd); return r; }
static void truncated(int fd, int64_t len) {
    if (fd < 0 || fd >= MAX_FD || !paths[fd]) return;
    pthread_mutex_lock(&mu);
    if (paths[fd]) entry('T', paths[fd], (uint64_t)len, NULL, 0);
    pthread_mutex_unlock(&mu);
}
int ftruncate64(int fd, off64_t len) { int r = real_ftruncate64(fd, len); if (r == 0) truncated(fd, len); return r; }
int ftruncate(int fd, off_t len) { int r = real_ftruncate(fd, len); if (r == 0) truncated(fd, len); return r; }
static void renamed(const char *a, const char *b) {
    char *wa = watched(a), *wb = watched(b);
    if (wa && wb) {
        pthread_mutex_lock(&mu);
        entry('R', wa, 0, wb, strlen(wb));
        pthread_mutex_unlock(&mu);
    }
    free(wa);
    free(wb);
}
int rename(const char *a, const char *b) { int r = real_rename(a, b); if (r == 0) renamed(a, b); return r; }
int renameat(int da, const char *a, int db, const char *b) {
    int r = real_renameat(da, a, db, b);
    if (r == 0 && (da == AT_FDCWD || a[0] == '/') && (db == AT_FDCWD || b[0] == '/')) renamed(a, b);
    return r;
}
static void unlinked(const char *p) {
    char *w = watched(p);
    if (w) {
        pthread_mutex_lock(&mu);
        entry('U', w, 0, NULL, 0);
        pthread_mutex_unlock(&mu);
    }
    free(w);
}
int unlink(const char *p) { int r = real_unlink(p); if (r == 0) unlinked(p); return r; }
int unlinkat(int d, const char *p, int flags) {
    int r = real_unlinkat(d, p, flags);
    if (r == 0 && !(flags & AT_REMOVEDIR) && (d == AT_FDCWD || p[0] == '/')) unlinked(p);
    return r;
}
