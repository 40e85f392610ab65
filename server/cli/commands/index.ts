import type { Command } from '../command';

/** Every subcommand, in `--help` order. Add new commands here. */
export const commands: readonly Command[] = [];
