/**
 * The quality cell: data-quality checks per column and chunk (missing values, unseen categories,
 * values outside the reference's range, numbers turned to text), conditions learnt from the
 * reference as NannyML 0.13.1's calculators learn their thresholds, or a suite written in the cell
 * (src/lib/stats/quality, the suite `driftbook check --save-suite` writes and `--suite` reads), run
 * in the stats worker on both tables.
 *
 * Fields, besides the tables and chunks of cells/core/chunked.ts:
 *
 *   columns: a, b, c      the columns to check (default: every column of the reference but
 *                         dates and times)
 *   max_missing: 0.05     a fixed bound on each chunk's share of missing cells instead of one
 *                         learnt from the reference (mean ± 3σ of its chunks)
 *   suite: { … }          the suite to run, as JSON: the rest of the cell. Without it the cell
 *                         learns one from the reference (and shows it, to write in with a click).
 *                         A suite holds its columns, chunking and bounds, so `columns`, `chunk`
 *                         and `max_missing` go with learning only.
 *
 * Results go to a DuckDB table named after the cell, one row per rate check and chunk
 * (cells/core/chunked.ts; `metric` is `<check>:<column>`).
 */
import { DataType, tableToIPC, type Table } from 'apache-arrow';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import {
	chunkedSources,
	chunkPlanLabel,
	chunkResultTable,
	chunkSeries,
	fieldColumn,
	onChunkedWorker,
	readChunkedTables,
	type ChunkRecord,
	type ChunkSeries
} from '#lib/cells/core/chunked.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { schemaOf } from '#lib/cells/core/stats-input.ts';
import { parseSuite, printSuite, type CheckOutcome, type QualityCheck, type QualitySuite } from '#lib/stats/quality/index.ts';
import type { ChunkTimes, QualityAnalysis, QualityRequest } from '#lib/workers/protocol.ts';

/** Fields that say how to learn a suite; a suite written in the cell says all of it itself. */
const LEARNING = ['columns', 'chunk', 'max_missing'] as const;

const SUITE_LINE = /^\s*suite\s*:/;

export interface QualityCheckResult {
	check: QualityCheck;
	/** The verdict on the analysis table, in words. */
	passed: boolean;
	message: string;
	/** The same check on the reference (a suite learnt there passes it). */
	referencePassed: boolean;
	referenceMessage: string;
	/** Rate checks: the share per chunk of both tables, with the check's bounds. */
	series: ChunkSeries | null;
}

export interface QualityValue {
	reference: string;
	analysis: string;
	chunkLabel: string;
	/** The suite was learnt from the reference by this run (not written in the cell). */
	learnt: boolean;
	suite: QualitySuite;
	/** The suite as the cell's `suite:` field would hold it (printSuite). */
	suiteText: string;
	rows: { reference: number; analysis: number };
	checks: QualityCheckResult[];
	failed: number;
	output: { table: string; rows: number };
}

/** The cell's text split at its `suite:` line: the fields above, the suite's JSON from there on (null without one). */
export function splitSuite(source: string): { fields: string; suite: string | null } {
	const lines = source.split('\n');
	const at = lines.findIndex((line) => SUITE_LINE.test(line));
	if (at < 0) return { fields: source, suite: null };
	return { fields: lines.slice(0, at).join('\n'), suite: [lines[at].replace(SUITE_LINE, ''), ...lines.slice(at + 1)].join('\n') };
}

/** The cell's text with `suite` written in as its `suite:` field, the fields that only say how to learn one left out. */
export function withSuite(source: string, suite: QualitySuite): string {
	const learning = new RegExp(`^\\s*(${LEARNING.join('|')})\\s*:`);
	const kept = splitSuite(source)
		.fields.split('\n')
		.filter((line) => !learning.test(line));
	return `${kept.join('\n').trimEnd()}\nsuite: ${printSuite(suite)}`;
}

function readSuite(text: string, cell: string): QualitySuite {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new Error(`cell ${cell}, field "suite": not JSON (${(error as Error).message})`, { cause: error });
	}
	try {
		return parseSuite(json);
	} catch (error) {
		throw new Error(`cell ${cell}, field "suite": ${(error as Error).message}`, { cause: error });
	}
}

/** Dates and times are checked as text (a listed one); by default they are left out. */
function isTemporal(table: Table, name: string): boolean {
	const type = table.schema.fields.find((f) => f.name === name)?.type;
	return type !== undefined && (DataType.isDate(type) || DataType.isTimestamp(type) || DataType.isTime(type));
}

const LABELS: Record<Exclude<QualityCheck['check'], 'value_type'>, (check: QualityCheck & { min?: number; max?: number }) => string> = {
	missing_values_rate: (c) => `Missing values in ${c.column}`,
	unseen_values_rate: (c) => `Unseen categories in ${c.column}`,
	out_of_range_values_rate: (c) => `Values outside [${c.min}, ${c.max}] in ${c.column}`
};

/** A rate check's shares per chunk, reference chunks then analysis chunks, as a chunk series. */
function checkSeries(
	check: QualityCheck,
	reference: CheckOutcome,
	analysis: CheckOutcome,
	times: { reference: ChunkTimes[]; analysis: ChunkTimes[] }
): ChunkSeries | null {
	if (check.check === 'value_type') return null;
	const records = (outcome: CheckOutcome, period: 'reference' | 'analysis'): ChunkRecord[] =>
		(outcome.chunks ?? []).map((c) => ({ ...c, period, upper_threshold: check.upper, lower_threshold: check.lower }));
	const ref = records(reference, 'reference');
	const ana = records(analysis, 'analysis');
	const timed = [...(ref.length ? times.reference : []), ...(ana.length ? times.analysis : [])];
	return chunkSeries(
		{
			metric: `${check.check}:${check.column}`,
			label: LABELS[check.check](check),
			unit: "share of the chunk's rows",
			valueKind: 'measured',
			percent: true,
			thresholdRule: check.source === 'reference' ? 'learnt from the reference chunks: mean ± 3σ' : 'fixed in the suite'
		},
		[...ref, ...ana],
		timed
	);
}

export const qualityCell: CellRunner = {
	kind: 'quality',
	inputs: (cell) => new Fields({ ...cell, source: splitSuite(cell.source).fields }).referenced(['reference', 'analysis']).filter((n) => n !== cell.name),
	async run(cell, _inputs, services, context): Promise<QualityValue> {
		const name = cell.name;
		const parts = splitSuite(cell.source);
		const fields = new Fields({ ...cell, source: parts.fields });
		const given = parts.suite === null ? null : readSuite(parts.suite, name);
		if (given) {
			const learning = LEARNING.find((f) => fields.optional(f) !== undefined);
			if (learning) {
				throw new Error(
					`cell ${name}, field "${learning}": applies when the cell learns its suite; the suite in the cell has its own columns, chunking and bounds (remove one of them)`
				);
			}
		}
		const sources = chunkedSources(fields);
		const chunking = given?.chunking ?? sources.chunking;
		if (typeof chunking === 'object' && 'period' in chunking && !sources.time) {
			throw new Error(`cell ${name}, field "suite": the suite chunks by ${chunking.period}: name the time column (time: <column>)`);
		}
		const maxMissing = fields.number('max_missing');
		if (maxMissing !== undefined && !(maxMissing >= 0 && maxMissing <= 1))
			throw new Error(`cell ${name}, field "max_missing": ${maxMissing} is not a share between 0 and 1`);
		const db = await services.db();
		const referenceSchema = await schemaOf(db, sources.reference, context.signal);
		const columns = given
			? [...new Set(given.checks.map((c) => c.column))]
			: (fields.list('columns') ?? referenceSchema.schema.fields.map((f) => f.name).filter((n) => n !== sources.time && !isTemporal(referenceSchema, n)));
		const tables = await readChunkedTables(
			db,
			{ ...sources, chunking },
			(table, schema) => {
				const names = new Set(schema.schema.fields.map((f) => f.name));
				// A column the suite names but a table lacks is not read: the suite fails its checks by name. A
				// listed column must be in the reference, to learn from (fieldColumn names it when it is not).
				const read = columns.filter((c) => names.has(c) || (!given && table === sources.reference));
				return Object.fromEntries(
					read.map((c) => [c, isTemporal(schema, c) ? `CAST(${quoteIdentifier(c)} AS VARCHAR)` : fieldColumn(fields, 'columns', table, schema, c)])
				);
			},
			name,
			context.signal
		);
		const request: QualityRequest = {
			jobId: crypto.randomUUID(),
			chunking,
			timeColumn: tables.timeColumn,
			suite: given,
			columns,
			thresholds: maxMissing === undefined ? undefined : { missing_values_rate: { type: 'constant', lower: null, upper: maxMissing } }
		};
		const result: QualityAnalysis = await onChunkedWorker(services, context, name, request, tables, (api, r, a, req, progress) =>
			api.dataQuality(r, a, req, progress)
		);
		context.signal.throwIfAborted();
		const split = result.reference.chunks.length;
		const times = { reference: result.times.slice(0, split), analysis: result.times.slice(split) };
		const checks = result.suite.checks.map((check, i): QualityCheckResult => {
			const ref = result.reference.outcomes[i];
			const ana = result.analysis.outcomes[i];
			return {
				check,
				passed: ana.passed,
				message: ana.message,
				referencePassed: ref.passed,
				referenceMessage: ref.message,
				series: checkSeries(check, ref, ana, times)
			};
		});
		const table = chunkResultTable(checks.flatMap((c) => (c.series ? [c.series] : [])));
		await db.insertArrowIPC(name, tableToIPC(table, 'stream'));
		return {
			reference: sources.reference,
			analysis: sources.analysis,
			chunkLabel: chunkPlanLabel(chunking),
			learnt: given === null,
			suite: result.suite,
			suiteText: printSuite(result.suite),
			rows: { reference: result.reference.rows, analysis: result.analysis.rows },
			checks,
			failed: result.analysis.failed,
			output: { table: name, rows: table.numRows }
		};
	}
};
