export {
  ANCHOR_FORMAT,
  AnchorCodec,
  AnchorStatementCodec,
  type Anchor,
  type AnchorHead,
  type AnchorStatement,
} from './anchor-codec';
export {
  AnchorKeyError,
  generateAnchorKey,
  keyIdOf,
  signingKeyOf,
  trustedKeyOf,
  type AnchorKeyPair,
} from './anchor-keys';
export { headsRoot, sortHeads } from './heads-root';
export { signAnchor, checkSignature, statementOf, statementBytes, type AnchorFacts } from './sign-anchor';
export { HeadTracker } from './head-tracker';
export { parseAnchorLines, anchorLine, type AnchorLine } from './anchor-file';
export { NAMED_DIFFERENCES, type AnchorProblem, type AnchorProblemCode } from './anchor-problems';
export { AnchorChecker, type AnchorCheck } from './anchor-checker';
export { verifyAgainstAnchors, auditAgainstAnchors, createAnchor, type AnchorCreation } from './anchored-checks';
