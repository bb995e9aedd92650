// Lint: typescript-eslint's type-checked recommended rules over every TypeScript file the tsconfigs cover,
// plus no-floating-promises (already in that set, kept explicit: an unawaited promise loses its error).
// Any rule turned off below says why.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A leading underscore marks a name kept on purpose (a parameter a signature needs, a property dropped from a
// rest spread), the same convention tsc's noUnusedParameters honours.
const UNUSED = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true };

export default defineConfig(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'out/**', '.vscode-test/**',
      // User-style model code the analyzer reads, not project code.
      'examples/**', 'test/fixtures/**', 'test/**/fixtures/**', 'snippets/**',
      // Per-rule fixtures (test/rules/<id>/bad-*.ts, ok-*.ts) are user model code, some of it wrong on purpose.
      'test/rules/*/**',
    ],
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [js.configs.recommended], rules: { 'no-unused-vars': ['error', UNUSED] }, languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', URL: 'readonly' } } },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    // One program for everything (the root tsconfig covers every folder): linting is dominated by building it.
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED],
    },
  },
  {
    // Tests read JSON the code under test wrote (CLI output, reports, LSP replies) and compare it with assert,
    // which fails on any shape mismatch: typing every parsed object would restate the production types without
    // catching more. They also evaluate generated JavaScript on purpose and put arbitrary values in failure
    // messages, call helpers loaded from model modules (`any` by nature), and pass `async` callbacks without
    // await to exercise APIs that take a promise-returning step. Production code keeps all these rules.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-implied-eval': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
