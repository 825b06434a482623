// @ts-check
// ESLint flat config: @eslint/js recommended, typescript-eslint recommended (type-checked), and the rules of the
// house style (STYLE.md) that a linter can see (no casts on command options, one reader of process.env, no console
// outside the console adapter, the CLI and the bench). Import boundaries between folders are dependency-cruiser's job
// (.dependency-cruiser.cjs); eslint-config-prettier comes last so that no rule here argues with Prettier.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** `ctx.options.x as T`, `ctx.options['x'] as T`, `<T>ctx.options.x` and `ctx.options as T`: the option spec types them. */
const optionCasts = ['TSAsExpression', 'TSTypeAssertion'].flatMap((cast) => [
  {
    selector: `${cast} > MemberExpression.expression[object.type='MemberExpression'][object.property.name='options']`,
    message: 'No cast on a command option: defineCommand infers ctx.options from the option spec (STYLE.md §13).',
  },
  {
    selector: `${cast} > MemberExpression.expression[property.name='options']`,
    message: 'No cast on ctx.options: defineCommand infers its type from the option spec (STYLE.md §13).',
  },
]);

const envMessage = 'Only src/config.ts reads the environment: take what you need from the validated Config (STYLE.md §6).';

export default defineConfig([
  globalIgnores(['node_modules/', 'data/', 'dist/', 'coverage/', 'db/migrations/', 'bench/results/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // The few JavaScript files (bin/, the bench's worker entry, the configs) are outside tsconfig.json: no type
    // information for them, and no TypeScript to resolve Node's globals.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', URL: 'readonly' } },
  },
  {
    // dependency-cruiser reads CommonJS configs; `require` is how they share options.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    name: 'casedesk/house',
    rules: {
      // `_`-prefixed names are the usual "deliberately unused" (a handler's unused argument, a skipped tuple item).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: this code base implements Promise-returning contracts (CommandDefinition.run, Poster, an adapter's send)
      // with `async` functions that need no await, so a throw still becomes a rejection; the rule flags each of them
      // (19 hits, none a bug). The type-checked no-floating-promises / no-misused-promises stay on.
      '@typescript-eslint/require-await': 'off',
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: envMessage }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'process', importNames: ['env'], message: envMessage },
            { name: 'node:process', importNames: ['env'], message: envMessage },
          ],
        },
      ],
    },
  },
  {
    name: 'casedesk/commands',
    files: ['commands/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...optionCasts] },
  },
  {
    name: 'casedesk/ansi',
    // The console adapter strips terminal escape sequences (ESC, BEL, C0 controls) from user text, and its tests look
    // for them: control characters in these regular expressions are the point.
    files: ['src/adapters/console/**', 'tests/adapters/console*.test.ts', 'tests/adapters/contract/console.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    name: 'casedesk/tests',
    // Vitest's asymmetric matchers (expect.stringContaining, expect.anything, ...) are typed `any` by design, so
    // every `{ field: expect.anything() }` is an "unsafe assignment". The other no-unsafe-* rules stay on in tests.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The fakes stand in for platform servers: they stringify raw socket frames and bodies (Buffers), and
    // their request handlers are async (an error there fails the request the test is waiting on, which
    // the test sees). `expect(object.method)` checks a capability's presence without calling it.
    files: ['tests/**', 'bench/slack-load.ts'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    name: 'casedesk/console-allowed',
    // The console adapter and the CLI write to the terminal by design; the bench prints its report.
    files: ['src/adapters/console/**', 'src/cli/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    name: 'casedesk/env-allowed',
    // config.ts is the one reader; tests, the bench and the tools' own config files set up their environment.
    files: ['src/config.ts', 'tests/**', 'bench/**', 'vitest.config.ts', 'drizzle.config.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
  },

  prettier,
]);
