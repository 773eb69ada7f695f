import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupStore, nextBackupPath } from '../src/simulation/store-backup';

describe('backupStore: an existing store is moved aside, never deleted', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the database with its -wal and -shm, so the backup opens as it was', () => {
    const db = join(dir, 'sim-seed-42.db');
    for (const [suffix, text] of [
      ['', 'db'],
      ['-wal', 'wal'],
      ['-shm', 'shm'],
    ])
      writeFileSync(`${db}${suffix}`, text!);
    expect(backupStore(db)).toBe(join(dir, 'sim-seed-42.backup-1.db'));
    expect(existsSync(db)).toBe(false);
    expect(['', '-wal', '-shm'].map((s) => readFileSync(join(dir, `sim-seed-42.backup-1.db${s}`), 'utf8'))).toEqual([
      'db',
      'wal',
      'shm',
    ]);
  });

  it('numbers one past the highest backup of the same store, whatever was deleted in between', () => {
    const db = join(dir, 'store.sqlite');
    expect(nextBackupPath(db)).toBe(join(dir, 'store.backup-1.sqlite'));
    writeFileSync(join(dir, 'store.backup-2.sqlite'), 'old');
    writeFileSync(join(dir, 'store.backup-4.sqlite-wal'), 'old wal');
    // Another store's backups do not count.
    writeFileSync(join(dir, 'other.backup-9.sqlite'), 'other');
    writeFileSync(db, 'new');
    expect(backupStore(db)).toBe(join(dir, 'store.backup-5.sqlite'));
    expect(readdirSync(dir).sort()).toEqual([
      'other.backup-9.sqlite',
      'store.backup-2.sqlite',
      'store.backup-4.sqlite-wal',
      'store.backup-5.sqlite',
    ]);
    expect(readFileSync(join(dir, 'store.backup-2.sqlite'), 'utf8')).toBe('old');
  });

  it('names a backup of a path without an extension', () => {
    expect(nextBackupPath(join(dir, 'ledger'))).toBe(join(dir, 'ledger.backup-1'));
  });
});
