// ESLint finds mistakes; Prettier (.prettierrc.json) owns the layout, so no style rules here.
// Type-aware rules are left out: on 2 cores they would add minutes to every CI run, and `tsc
// --strict` with noUnused* already runs first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/.dts/', 'out/', 'data/', 'apps/cli/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The one CommonJS file: Jest reads its config with require.
  { files: ['jest.config.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  // The packed packages' CommonJS consumer: require() is what it tests.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly' } },
    rules: {
      // A leading underscore names what a destructuring drops on purpose (`{ [id]: _gone, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  // The operator's dashboard: ES modules the browser runs as they are (type-checked by their own tsconfig).
  {
    files: ['apps/server/dashboard/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'AbortController',
          'TextDecoderStream',
          'HTMLElement',
          'HTMLInputElement',
          'HTMLSelectElement',
          'HTMLFormElement',
          'URLSearchParams',
          'Intl',
          'uPlot',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  // Lines a reader can take in (issue 13): Prettier breaks code at 120 but not long strings, so this catches those.
  {
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
);
