import base from '../../tools/config/eslint.config.js';

export default [
  ...base,
  // nx loads generator factories with require(): the CommonJS bridge to the ESM build.
  {
    files: ['generators/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
];
