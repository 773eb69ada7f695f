// LD_PRELOAD shim for tests/faults: makes the store's writes or syncs fail with a chosen errno while
// a trigger file exists, as a failing disk would. Only file descriptors whose path starts with
// BALLAST_FAULT_PREFIX are touched (node's own stdout, pipes and modules write normally).
// The trigger file holds "<op> <errno name>", op one of write, sync; e.g. "write EIO", "sync EIO",
// "write ENOSPC", "write EROFS" (EROFS also fails access(W_OK) under the prefix, as a read-only
// mount does). Removing the file clears the fault.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum op { OP_WRITE, OP_SYNC };

static int errno_named(const char *name) {
  if (strcmp(name, "EIO") == 0) return EIO;
  if (strcmp(name, "ENOSPC") == 0) return ENOSPC;
  if (strcmp(name, "EROFS") == 0) return EROFS;
  return EIO;
}

/* The errno to fail `op` with now, or 0. Read on every call: the test flips it from outside. */
static int armed(enum op op) {
  const char *trigger = getenv("BALLAST_FAULT_TRIGGER");
  if (trigger == NULL) return 0;
  int fd = open(trigger, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char spec[64] = {0};
  ssize_t n = read(fd, spec, sizeof spec - 1);
  close(fd);
  if (n <= 0) return 0;
  char opname[16] = {0}, errname[16] = {0};
  if (sscanf(spec, "%15s %15s", opname, errname) != 2) return 0;
  if ((op == OP_WRITE) != (strcmp(opname, "write") == 0)) return 0;
  return errno_named(errname);
}

static int under_prefix_path(const char *path) {
  const char *prefix = getenv("BALLAST_FAULT_PREFIX");
  return prefix != NULL && path != NULL && strncmp(path, prefix, strlen(prefix)) == 0;
}

static int under_prefix(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = 0;
  return under_prefix_path(path);
}

static int fail_fd(int fd, enum op op) {
  if (!under_prefix(fd)) return 0;
  int e = armed(op);
  if (e == 0) return 0;
  errno = e;
  return 1;
}

#define NEXT(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t count) {
  NEXT(write);
  return fail_fd(fd, OP_WRITE) ? -1 : real_write(fd, buf, count);
}
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  NEXT(pwrite);
  return fail_fd(fd, OP_WRITE) ? -1 : real_pwrite(fd, buf, count, offset);
}
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
  NEXT(pwrite64);
  return fail_fd(fd, OP_WRITE) ? -1 : real_pwrite64(fd, buf, count, offset);
}
ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  NEXT(writev);
  return fail_fd(fd, OP_WRITE) ? -1 : real_writev(fd, iov, iovcnt);
}
int fsync(int fd) {
  NEXT(fsync);
  return fail_fd(fd, OP_SYNC) ? -1 : real_fsync(fd);
}
int fdatasync(int fd) {
  NEXT(fdatasync);
  return fail_fd(fd, OP_SYNC) ? -1 : real_fdatasync(fd);
}
int access(const char *path, int mode) {
  NEXT(access);
  if ((mode & W_OK) && under_prefix_path(path) && armed(OP_WRITE) == EROFS) {
    errno = EROFS;
    return -1;
  }
  return real_access(path, mode);
}
