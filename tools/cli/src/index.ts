export { exitCodes, type Command } from './cli/command.js';
export { StepReporter } from './terminal/step-reporter.js';
