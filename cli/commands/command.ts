/** A subcommand's module: what `driftbook <name> --help` prints and what the command does. */
export interface CommandModule {
	/** Full usage text for `driftbook <name> --help`. */
	usage: string;
	/** Prints the command's own output and returns the exit code. */
	run(args: string[]): Promise<number>;
}

/**
 * One `driftbook <name>` subcommand in the list. Its module is imported only when it is asked
 * for, so that a command loads only what it uses (`drift` neither the server nor PGlite, `token`
 * not DuckDB): every process start pays for what it loads.
 */
export interface Command {
	name: string;
	/** One line for `driftbook --help`. */
	summary: string;
	load(): Promise<CommandModule>;
}

/** Bad input: the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** `--name value` and `--flag` options after the subcommand; unknown options are usage errors. */
export function parseOptions(
	args: string[],
	spec: { values?: readonly string[]; flags?: readonly string[] }
): { values: Record<string, string>; flags: Set<string> } {
	const values: Record<string, string> = {};
	const flags = new Set<string>();
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : undefined;
		if (name === undefined) throw new UsageError(`unexpected argument "${arg}"`);
		if (spec.flags?.includes(name)) {
			flags.add(name);
		} else if (spec.values?.includes(name)) {
			const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
			if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
			values[name] = value;
		} else {
			throw new UsageError(`unknown option --${name}`);
		}
	}
	return { values, flags };
}
