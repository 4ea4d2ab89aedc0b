/** Disk failures in words an admin acts on: what is wrong with the disk, and the errno to search for. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than the file system allows',
  EROFS: 'the file system is read-only',
  EACCES: 'the agent may not write there',
  EPERM: 'the agent may not write there',
  EISDIR: 'a directory is in the way',
  ENOTDIR: 'a file is in the way of a directory',
  EEXIST: 'a file is in the way',
  EIO: 'the disk reported an I/O error',
  EMFILE: 'the agent has too many files open',
  ENFILE: 'the system has too many files open',
};

/** "the disk is full (ENOSPC, writing pages-1.img)", or the plain message of an error without a code. */
export function diskProblem(e: unknown, doing: string): string {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (!code) return `${err?.message ?? String(e)} (${doing})`;
  return `${REASONS[code] ?? err!.message} (${code}, ${doing})`;
}
