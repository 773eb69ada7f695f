import type { AnchorCheck } from '@ballast/engine';
import type { CliIo } from '../cli-io';

/** The text lines of an anchor check, after verify's or audit's own. */
export const printAnchorCheck = (check: AnchorCheck, io: CliIo, audited: boolean): void => {
  const { last } = check;
  if (check.ok && last) {
    const digest = check.digestChecked
      ? 'and the audit digest matches'
      : audited
        ? ''
        : '(run audit --anchor to compare the audit digest)';
    io.out(
      `anchors   ok: ${check.anchors} anchor(s); the newest (${last.createdAt}, ${last.events} events, ` +
        `${last.streams} streams, key ${last.keyId}) matches the log ${digest}`.trimEnd(),
    );
    return;
  }
  io.out(`anchors   FAILED: ${check.problemCount} problem(s) in ${check.anchors} anchor(s)`);
  for (const p of check.problems) io.out(`  ${p.code}  ${p.message}`);
  if (check.problemCount > check.problems.length) io.out(`  … and ${check.problemCount - check.problems.length} more`);
};
