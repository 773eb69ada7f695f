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
export {
  signAnchor,
  checkSignature,
  statementOf,
  statementBytes,
  previousOf,
  type AnchorFacts,
  type PreviousAnchor,
  type AnchorTip,
} from './sign-anchor';
export { AnchorChain, type ChainProblem } from './anchor-chain';
export { HeadTracker } from './head-tracker';
export { parseAnchorLines, anchorLine, type AnchorLine } from './anchor-file';
export { NAMED_DIFFERENCES, type AnchorProblem, type AnchorProblemCode } from './anchor-problems';
export { AnchorChecker, type AnchorCheck } from './anchor-checker';
export {
  verifyAgainstAnchors,
  auditAgainstAnchors,
  createAnchor,
  lastAnchorIn,
  type AnchorCreation,
} from './anchored-checks';
