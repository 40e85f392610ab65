// `npm run -s driftbook -- <command> [options]`: the command line, sharing the app's libraries.
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

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: Error) => {
		// Bad input: one line, exit 2. A refusal the message explains: one line, exit 1. Anything
		// else is a bug: the stack helps.
		if (error instanceof UsageError || error.name === 'UsageError') console.error(`driftbook: ${error.message}`);
		else if (REFUSALS.has(error.name)) console.error(`driftbook: ${error.message}`);
		else console.error(error);
		process.exitCode = REFUSALS.has(error.name) ? 1 : 2;
	}
);
