import type { Command } from '../command';
import { tokenCommand } from './token';

/** Every subcommand, in `--help` order. Add new commands here. */
export const commands: readonly Command[] = [tokenCommand];
