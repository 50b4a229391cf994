import type { Command } from '../cli/command.js';
import { devCommand } from './dev.command.js';
import { newServiceCommand } from './new-service.command.js';
import { renderCommand } from './render.command.js';
import { simulateCommand } from './simulate.command.js';
import { validateCommand } from './validate.command.js';

/** Every `rtp` command, in the order `rtp --help` lists them. */
export const commands: readonly Command[] = [
  devCommand,
  renderCommand,
  validateCommand,
  simulateCommand,
  newServiceCommand,
];
