export { startServer, type ServerOptions, type RunningServer } from './start-server';
export { buildApp } from './build-app';
export { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './server-context';
export { createKey, revokeKey, loadAccess, ACCESS_ID, type CreatedKey } from './access-keys';
export { KeyIndex, type Principal } from './principals';
export { authorizeCommand, type Forbidden } from './authorize';
export { COMMAND_RULES, type CommandRule } from './command-rules';
export { READ_MODELS } from './read-models';
