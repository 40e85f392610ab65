/**
 * Vitest global setup: one empty, initialised PGlite data directory for the whole run. A new
 * PGlite directory costs an initdb inside WASM (~3.5 s on 2 cores, far more on a loaded
 * machine); a copy of this one costs a fraction of a second and is the same fresh, unmigrated
 * database, so the store tests (migrations included) see exactly what a new directory gives.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** An empty, closed PGlite data directory to copy (see test/unit/server/targets.ts). */
		pgliteTemplate: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const root = await mkdtemp(join(tmpdir(), 'driftbook-pglite-template-'));
	const dataDir = join(root, 'data');
	const db = await PGlite.create(dataDir);
	await db.query('SELECT 1');
	await db.close();
	project.provide('pgliteTemplate', dataDir);
	return () => rm(root, { recursive: true, force: true });
}
