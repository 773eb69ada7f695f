import { existsSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/**
 * The files a SQLite store's data lives in: the database, its write-ahead log (committed events not
 * yet checkpointed) and the shared-memory index. The `.lock` beside them holds no data.
 */
const DATA_SUFFIXES = ['', '-wal', '-shm'] as const;
/** Side files of older versions of the store, moved along with it when present. */
const LEGACY_SUFFIXES = ['.read-models', '.snapshots'] as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `data/sim-seed-42.db` → `data/sim-seed-42.backup-3.db` (with `-wal`/`-shm` beside it, so that
 * SQLite and `ballast audit --db` open the backup as it was). The counter is one past the highest
 * backup of this store in the folder, so an earlier backup is never overwritten and the newest has
 * the highest number, whatever was deleted in between.
 */
export const nextBackupPath = (db: string): string => {
  const ext = extname(db);
  const stem = basename(db, ext);
  const dir = dirname(db);
  const pattern = new RegExp(`^${escape(stem)}\\.backup-(\\d+)${escape(ext)}`);
  let highest = 0;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = pattern.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return join(dir, `${stem}.backup-${highest + 1}${ext}`);
};

/** Moves an existing store and its side files to the next backup path; nothing is deleted. Returns where it went. */
export const backupStore = (db: string): string => {
  const to = nextBackupPath(db);
  for (const suffix of [...DATA_SUFFIXES, ...LEGACY_SUFFIXES]) {
    if (existsSync(`${db}${suffix}`)) renameSync(`${db}${suffix}`, `${to}${suffix}`);
  }
  return to;
};
