import { DuckDBInstance } from '@duckdb/node-api';
import { ApiError } from '#server/http/errors.ts';
import { columnFromStrings, type Column } from '#lib/stats/index.ts';
import type { Dataset } from '#lib/contracts/datasets.ts';

/**
 * A server dataset's columns, optionally only the rows whose time column falls in a window (and,
 * for a prediction log, whose route is one of some), read by native DuckDB. Values reach the statistics library as the text DuckDB reads (a CSV's
 * values as written), as the command line gives them: the library decides the column kinds.
 */

let instance: Promise<DuckDBInstance> | undefined;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A dataset and the file its bytes are in (a stored blob, or the file a view made). */
export interface DatasetFile {
	dataset: Dataset;
	file: string;
}

function source({ dataset, file }: DatasetFile): string {
	const path = literal(file);
	switch (dataset.format) {
		case 'csv':
			return `read_csv(${path}, header = true, all_varchar = true)`;
		case 'tsv':
			return `read_csv(${path}, header = true, all_varchar = true, delim = '\t')`;
		case 'parquet':
			return `read_parquet(${path})`;
		case 'json':
			return `read_json_auto(${path}, format = 'array')`;
		case 'ndjson':
			return `read_json_auto(${path}, format = 'newline_delimited')`;
		default:
			throw new ApiError(
				422,
				'unsupported',
				`dataset ${dataset.name} v${dataset.version} is ${dataset.format}: monitors read CSV, TSV, Parquet, JSON and NDJSON`
			);
	}
}

export interface TimeWindow {
	column: string;
	/** Epoch ms, inclusive. */
	start: number;
	/** Epoch ms, exclusive. */
	end: number;
}

/**
 * `columns` of the dataset (all but the time column when not given), rows in `window` and of
 * `routes` when given; `optional` columns too where the dataset has them (a label that may not
 * have arrived).
 */
export async function readDatasetColumns(
	input: DatasetFile,
	options: { columns?: readonly string[]; optional?: readonly string[]; window?: TimeWindow; exclude?: string; routes?: readonly string[] }
): Promise<Record<string, Column>> {
	const { dataset } = input;
	// Without the ICU extension (not bundled, never downloaded) DuckDB's time zone is UTC.
	instance ??= DuckDBInstance.create(':memory:');
	const connection = await (await instance).connect();
	const what = `dataset ${dataset.name} v${dataset.version}`;
	try {
		const from = source(input);
		let names: string[];
		try {
			names = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjects().map((r) => String(r.column_name));
		} catch (error) {
			throw new ApiError(422, 'unreadable', `${what} cannot be read as ${dataset.format}: ${(error as Error).message.split('\n')[0]}`);
		}
		const wanted = options.columns ? [...options.columns] : names.filter((n) => n !== options.exclude && n !== options.window?.column);
		for (const column of [...wanted, ...(options.window ? [options.window.column] : []), ...(options.routes ? ['route'] : [])]) {
			if (!names.includes(column)) throw new ApiError(422, 'invalid_request', `${what} has no column ${JSON.stringify(column)} (it has ${names.join(', ')})`);
		}
		wanted.push(...(options.optional ?? []).filter((c) => names.includes(c) && !wanted.includes(c)));
		const select = wanted.map((c) => `CAST(${quote(c)} AS VARCHAR) AS ${quote(c)}`).join(', ');
		// Times as ISO 8601 text (or DuckDB's own timestamp types); text without an offset is UTC.
		const conditions = [
			...(options.window
				? [
						`epoch_ms(TRY_CAST(CAST(${quote(options.window.column)} AS VARCHAR) AS TIMESTAMPTZ)) >= ${Math.floor(options.window.start)}`,
						`epoch_ms(TRY_CAST(CAST(${quote(options.window.column)} AS VARCHAR) AS TIMESTAMPTZ)) < ${Math.floor(options.window.end)}`
					]
				: []),
			...(options.routes ? [`route IN (${options.routes.map(literal).join(', ')})`] : [])
		];
		const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
		const result = await connection.runAndReadAll(`SELECT ${select} FROM ${from}${where}`);
		// No rows: DuckDB hands back no column arrays at all.
		const columns = result.getColumns() as (string | null)[][];
		return Object.fromEntries(wanted.map((name, i) => [name, columnFromStrings(columns[i] ?? [])]));
	} finally {
		connection.closeSync();
	}
}
