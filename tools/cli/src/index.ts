export { runDev, type DevOptions } from './commands/dev.command.js';
export { StepReporter } from './terminal/step-reporter.js';
