import { type InvalidInput, MAX_ISSUES } from '@ballast/domain';

/** A refusal a caller can act on: the stable code, a one-line message, and every issue with its path. */
export const expectClearRefusal = (refusal: InvalidInput): void => {
  expect(refusal.code).toBe('INVALID_INPUT');
  expect(typeof refusal.message).toBe('string');
  expect(refusal.message.length).toBeGreaterThan(0);
  expect(refusal.issues.length).toBeGreaterThan(0);
  // At most MAX_ISSUES, and a line saying more were found.
  expect(refusal.issues.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
  for (const issue of refusal.issues) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
  }
};

// A refusal's message is bounded whatever the input: a megabyte in must not come back as a megabyte of error. (An
// issue may list the known types or fields: TreasuryEvent has some sixty.)
export const MAX_MESSAGE_CHARS_PER_ISSUE = 2_000;
