#ifndef CFILESYSTEM_H
#define CFILESYSTEM_H

/// Exchanges the paths `a` and `b` atomically (Linux renameat2 with RENAME_EXCHANGE): both
/// must exist; afterwards each name holds what the other held. Returns 0 on success, or -1
/// with errno set (EINVAL or ENOSYS where the file system or kernel cannot do it).
int cf_exchange_paths(const char *a, const char *b);

#endif
