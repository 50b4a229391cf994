import base from '../../tools/config/eslint.config.js';

/** The dashboard's scripts run in the browser (plain ES modules, no build step). */
const browserGlobals = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'history',
    'sessionStorage',
    'fetch',
    'WebSocket',
    'URLSearchParams',
    'CSS',
    'setTimeout',
    'clearTimeout',
  ].map((name) => [name, 'readonly']),
);

export default [
  ...base,
  { files: ['public/**/*.js'], languageOptions: { globals: browserGlobals } },
];
