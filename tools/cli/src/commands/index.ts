import type { Command } from '../cli/command.js';
import { devCommand } from './dev.command.js';

/** Every `rtp` command, in the order `rtp --help` lists them. */
export const commands: readonly Command[] = [devCommand];
