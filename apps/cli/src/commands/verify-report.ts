import type { VerifyReport } from '@ballast/event-store';
import type { CliIo } from '../cli-io';

export const printVerifyReport = (report: VerifyReport, io: CliIo): void => {
  io.out(`streams   ${report.streams}`);
  io.out(`events    ${report.events}`);
  io.out(`head      position ${report.headPosition}`);
  if (report.ok) io.out('chains    ok: every hash chain verifies');
  else {
    const { kind, streamId, revision, message } = report.problem;
    io.out(`chains    BROKEN at stream ${streamId} revision ${revision} (${kind}): ${message}`);
  }
};
