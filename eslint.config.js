// ESLint flat config: typescript-eslint's recommended rules on every TypeScript source; Prettier owns
// formatting (eslint-config-prettier turns off the rules that would fight it).
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.userdir/',
      'data/',
      'bench/out/',
      'test/out/',
      'test/fixtures/',
      'bench/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Type-aware rules that catch what kills a Node-RED runtime: a promise nobody awaits or
    // catches (an unhandled rejection), and an async function where a callback's result is ignored.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node-RED node constructors are plain functions called with \`this\` bound to the node, and the
    // core nodes name it \`node\` for the closures they register.
    files: ['nodes/**/*.ts'],
    rules: { '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }] },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  prettier,
);
