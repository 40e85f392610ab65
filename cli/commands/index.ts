import type { Command } from './command';
import { driftCommand } from './drift';
import { abCommand } from './ab';
import { estimateCommand } from './estimate';
import { multivariateCommand } from './multivariate';
import { checkCommand } from './check';
import { tokenCommand } from './token';
import { serveCommand } from './serve';

/** Every subcommand, in `--help` order. Add new commands here. */
export const commands: readonly Command[] = [driftCommand, abCommand, estimateCommand, multivariateCommand, checkCommand, tokenCommand, serveCommand];
