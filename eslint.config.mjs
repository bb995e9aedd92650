// Lint: typescript-eslint's type-checked recommended rules over every TypeScript file the tsconfigs cover,
// plus no-floating-promises (already in that set, kept explicit: an unawaited promise loses its error).
// Any rule turned off below says why.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'out/**', '.vscode-test/**',
      // User-style model code the analyzer reads, not project code.
      'examples/**', 'test/fixtures/**', 'test/**/fixtures/**', 'snippets/**',
    ],
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [js.configs.recommended], languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', URL: 'readonly' } } },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    // One program for everything (the root tsconfig covers every folder): linting is dominated by building it.
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
);
