// `driftbook <command> [options]` as a function: what the process prints and its exit status.
// cli/main.ts runs it for the process; tests run it in their own process too (test/support/cli.ts).
import type { Command } from '#cli/commands/command.ts';
import { UsageError } from '#cli/commands/command.ts';
import { commands } from '#cli/commands/index.ts';

function help(list: readonly Command[]): string {
	const width = Math.max(...list.map((c) => c.name.length));
	return [
		'usage: driftbook <command> [options]',
		'',
		...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		'driftbook <command> --help for its options.'
	].join('\n');
}

async function main(argv: string[]): Promise<number> {
	const [name, ...args] = argv;
	if (!name || name === '--help' || name === '-h') {
		console.log(help(commands));
		return name ? 0 : 2;
	}
	const command = commands.find((c) => c.name === name);
	if (!command) throw new UsageError(`unknown command "${name}" (driftbook --help lists them)`);
	const { usage, run } = await command.load();
	if (args.includes('--help')) {
		console.log(usage);
		return 0;
	}
	return run(args);
}

/** Errors whose message says all (what is wrong and what to do). */
const REFUSALS = new Set(['DataDirInUseError', 'ServerRefusal']);

/** Runs the command line on `argv` (the arguments after `driftbook`) and resolves with its exit status. */
export async function driftbook(argv: string[]): Promise<number> {
	try {
		return await main(argv);
	} catch (caught) {
		const error = caught as Error;
		// Bad input: one line, exit 2. A refusal the message explains: one line, exit 1. Anything
		// else is a bug: the stack helps.
		if (error instanceof UsageError || error.name === 'UsageError') console.error(`driftbook: ${error.message}`);
		else if (REFUSALS.has(error.name)) console.error(`driftbook: ${error.message}`);
		else console.error(error);
		return REFUSALS.has(error.name) ? 1 : 2;
	}
}
