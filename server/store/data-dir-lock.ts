import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The file that marks a PGlite data directory as open, holding the opener's process id. */
export const LOCK_FILE = 'driftbook.lock';

/** Another live process has the data directory open; the message says which and what to do. */
export class DataDirInUseError extends Error {
	constructor(
		message: string,
		readonly pid: number
	) {
		super(message);
		this.name = 'DataDirInUseError';
	}
}

/** Whether process `pid` is alive (signal 0 checks without signalling). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function holder(path: string): number | undefined {
	try {
		const pid = Number(readFileSync(path, 'utf8').trim());
		return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Takes the data directory for this process: PGlite must have exactly one opener per directory
 * (a second process would write its own copy of the database over the first's changes). A lock
 * left by a process that no longer runs (killed, crashed) is stale and taken over. Returns the
 * release function; the lock is also released when the process exits.
 */
export function lockDataDir(dataDir: string): () => void {
	const path = join(dataDir, LOCK_FILE);
	for (let attempt = 0; ; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
			const pid = holder(path);
			if (pid !== undefined && pid !== process.pid && alive(pid)) {
				throw new DataDirInUseError(
					`the data directory ${dataDir} is in use by process ${pid} (a running driftbook server?). ` +
						`Stop that process first, or, for tokens, use \`driftbook token … --server URL\` against it. ` +
						`If no such process runs, delete ${path}.`,
					pid
				);
			}
			// Stale (its process is gone), ours from before, or half-written: take it over.
			rmSync(path, { force: true });
		}
	}
	if (held.size === 0) process.on('exit', releaseAll);
	held.add(path);
	return () => {
		if (!held.delete(path)) return;
		if (held.size === 0) process.off('exit', releaseAll);
		releaseFile(path);
	};
}

/** Lock files this process holds, released at exit (a SIGKILL leaves them: stale, see above). */
const held = new Set<string>();

function releaseFile(path: string): void {
	if (holder(path) === process.pid) rmSync(path, { force: true });
}

function releaseAll(): void {
	for (const path of held) releaseFile(path);
}
