export { default } from '../../tools/config/eslint.config.js';
