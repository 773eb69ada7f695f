// Test kinds live in file names so one kind can run alone:
//   *.unit.spec.ts  pure and fast      (pnpm test:unit)
//   *.int.spec.ts   a real store or process (pnpm test:int)
//   *.e2e.spec.ts   the CLI or a browser
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const project = (kind) => ({
  displayName: kind,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/**/*.${kind}.spec.ts`],
  testPathIgnorePatterns: ['/node_modules/'],
});
module.exports = {
  projects: [project('unit'), project('int'), project('e2e')],
};
