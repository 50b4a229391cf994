// Shared lint rules. Each project re-exports this from its own eslint.config.js so editors
// and `nx lint` agree. Formatting is prettier's job (`npm run format`), checked in lint.
import process from 'node:process';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9-]+)*\.(?:ts|js|mjs|cjs|json)$/;

/** Files are kebab-case `<subject>.<role>.ts` (see STYLE.md, Naming). */
const fileNameRule = {
  meta: { type: 'problem', messages: { name: 'File name "{{name}}" is not kebab-case.' } },
  create(context) {
    const name = context.filename.split('/').pop();
    return {
      Program(node) {
        if (!kebabCase.test(name)) context.report({ node, messageId: 'name', data: { name } });
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { rtp: { rules: { 'file-name': fileNameRule } } },
    rules: {
      'rtp/file-name': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules for the TypeScript sources: each file is checked with the program of the
    // nearest tsconfig.json (the project's own, which includes src and test). A promise nobody
    // awaits, returns or hands on loses its rejection (an unhandled rejection stops Node) and
    // its ordering; a promise where a void callback is expected (an event listener, a setTimeout
    // callback) does the same. `void promise` marks the rare one that is deliberately left to run,
    // next to a comment saying who handles its failure.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
