import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The file systems the fault tests run on. With permission to mount (root, as in CI here), a fault
 * is the kernel's own: a tmpfs with a size limit fills up, an ext4 image on a loop device goes
 * read-only after an error. Without it, a preload shim (fault-shim.c, compiled with gcc at test
 * time) makes the store's writes fail with the same errno; every test prints which mode ran.
 * BALLAST_FAULT_ROUNDS=N runs the long variants (N times the rounds, kills and copies);
 * BALLAST_FAULT_MODE=shim runs the fallback even where mounting works.
 */

const run = (cmd: string, args: string[]): void => {
  execFileSync(cmd, args, { stdio: 'pipe', timeout: 30_000 });
};

const tryRun = (cmd: string, args: string[]): boolean => {
  try {
    run(cmd, args);
    return true;
  } catch {
    return false;
  }
};

/** A scratch folder under the system's temp folder, removed (after its mounts) by `cleanUp`. */
export interface FaultDir {
  readonly path: string;
  /** Mount points made here, unmounted by `cleanUp` (last first). */
  readonly mounts: string[];
  /** Unmounts whatever was mounted here (lazily, so a stuck process cannot block it) and removes the folder. */
  cleanUp(): void;
}

export const faultDir = (label: string): FaultDir => {
  const path = mkdtempSync(join(tmpdir(), `ballast-fault-${label}-`));
  const mounts: string[] = [];
  return {
    path,
    mounts,
    cleanUp: () => {
      // umount -l detaches at once; a loop device made by mount -o loop is freed with its last user.
      for (const at of [...mounts].reverse()) tryRun('umount', ['-l', at]);
      rmSync(path, { recursive: true, force: true });
    },
  };
};

/** BALLAST_FAULT_MODE=shim runs the fallback even where mounting works (to test the fallback). */
const mountingAllowed = (): boolean => process.env.BALLAST_FAULT_MODE !== 'shim';

/** Mounts a tmpfs of `sizeBytes` at dir/name; undefined when this process may not mount. */
export const mountTmpfs = (dir: FaultDir, name: string, sizeBytes: number): string | undefined => {
  const at = join(dir.path, name);
  mkdirSync(at);
  if (!mountingAllowed()) return undefined;
  if (!tryRun('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', at])) return undefined;
  dir.mounts.push(at);
  return at;
};

export interface Ext4Mount {
  readonly at: string;
  /** The image file behind the loop device (fsck runs on it). */
  readonly image: string;
  /** The ext4 sysfs folder of the mounted device: its trigger_fs_error reports an error as a failing disk would. */
  readonly sysfs: string;
}

const loopDeviceOf = (at: string): string | undefined => {
  try {
    const source = execFileSync('findmnt', ['-n', '-o', 'SOURCE', at], { encoding: 'utf8' }).trim();
    return source.startsWith('/dev/loop') ? source : undefined;
  } catch {
    return undefined;
  }
};

/**
 * An ext4 image of `sizeBytes` on a loop device at dir/name, mounted with errors=remount-ro (the
 * usual setting for a data disk): an error ext4 detects makes it read-only under the running writer.
 * Undefined when this process may not mount, or the tools or the kernel's trigger are missing.
 */
export const mountExt4 = (dir: FaultDir, name: string, sizeBytes: number): Ext4Mount | undefined => {
  const at = join(dir.path, name);
  const image = join(dir.path, `${name}.img`);
  mkdirSync(at);
  if (!mountingAllowed()) return undefined;
  writeFileSync(image, '');
  if (!tryRun('truncate', ['-s', String(sizeBytes), image])) return undefined;
  if (!tryRun('mkfs.ext4', ['-q', '-F', image])) return undefined;
  if (!tryRun('mount', ['-o', 'loop,errors=remount-ro', image, at])) return undefined;
  dir.mounts.push(at);
  const device = loopDeviceOf(at);
  const sysfs = device === undefined ? undefined : `/sys/fs/ext4/${device.slice('/dev/'.length)}`;
  if (sysfs === undefined || !existsSync(join(sysfs, 'trigger_fs_error'))) return undefined;
  return { at, image, sysfs };
};

/** After the fault: unmount, repair the image as an operator would (e2fsck -fy), mount it writable again. */
export const repairExt4 = (mount: Ext4Mount): void => {
  run('umount', [mount.at]);
  // e2fsck exits 1 when it fixed something (the error the trigger recorded): that is success here.
  try {
    run('e2fsck', ['-fy', mount.image]);
  } catch (error) {
    if ((error as { status?: number }).status !== 1) throw error;
  }
  run('mount', ['-o', 'loop,errors=remount-ro', mount.image, mount.at]);
};

export interface Shim {
  /** LD_PRELOAD and the shim's settings for a child that writes under `prefix`. */
  env(prefix: string): Record<string, string>;
  /** Fails the child's `op` calls under the prefix with `errno` from now on. */
  arm(op: 'write' | 'sync', errno: 'EIO' | 'ENOSPC' | 'EROFS'): void;
  disarm(): void;
}

/** Compiles fault-shim.c into dir; undefined (with the reason) when there is no C compiler. */
export const buildShim = (dir: FaultDir): Shim | { missing: string } => {
  const library = join(dir.path, 'fault-shim.so');
  const trigger = join(dir.path, 'fault-trigger');
  try {
    run('gcc', ['-shared', '-fPIC', '-O2', '-o', library, join(__dirname, 'fault-shim.c'), '-ldl']);
  } catch (error) {
    return { missing: `gcc could not build the fault shim: ${(error as Error).message.split('\n')[0]}` };
  }
  return {
    env: (prefix) => ({ LD_PRELOAD: library, BALLAST_FAULT_TRIGGER: trigger, BALLAST_FAULT_PREFIX: prefix }),
    arm: (op, errno) => writeFileSync(trigger, `${op} ${errno}\n`),
    disarm: () => rmSync(trigger, { force: true }),
  };
};

export const isShim = (s: Shim | { missing: string }): s is Shim => !('missing' in s);

/** How many loop iterations a test runs: BALLAST_FAULT_ROUNDS for the long variants. */
export const FAULT_ROUNDS = Number(process.env.BALLAST_FAULT_ROUNDS ?? 1);

/** Says which mode ran, on the test's output (never silently). */
export const reportMode = (test: string, mode: string): void => {
  process.stdout.write(`[faults] ${test}: ${mode}\n`);
};
