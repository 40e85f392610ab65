/**
 * The input every multivariate drift method takes: named feature columns, a continuous feature as
 * a Float64Array (NaN: missing), a categorical one as strings (null: missing). The reference
 * decides a feature's kind, as the pandas dtype does in NannyML.
 */

import { isMissingString, type Column } from '#lib/stats/column.ts';

export type FeatureColumn = Float64Array | ArrayLike<string | null>;

export type FeatureTable = Readonly<Record<string, FeatureColumn>>;

/** A library column as a feature: numbers continuous, anything else categorical (missing text as null). */
export function featureColumn(column: Column): FeatureColumn {
	if (column.type === 'number') return column.values;
	return Array.from(column.values, (v) => (isMissingString(v) ? null : v));
}

export type Period = 'reference' | 'analysis';

/** Bad input: which data set, and where one is at fault the feature and the row (0-based). */
export class MultivariateInputError extends Error {
	readonly period: Period;
	readonly problem: string;
	readonly feature: string | null;
	readonly row: number | null;

	constructor(period: Period, problem: string, feature: string | null = null, row: number | null = null) {
		super(`${period} data${row === null ? '' : `, row ${row}`}: ${feature === null ? '' : `feature ${feature} `}${problem}`);
		this.name = 'MultivariateInputError';
		this.period = period;
		this.problem = problem;
		this.feature = feature;
		this.row = row;
	}
}

/** The common length of the feature columns; an error for a missing feature, unequal lengths or no rows. */
export function rowCount(table: FeatureTable, features: readonly string[], period: Period): number {
	if (features.length === 0) throw new MultivariateInputError(period, 'no features given');
	let rows = -1;
	for (const f of features) {
		const column = table[f];
		if (column === undefined) throw new MultivariateInputError(period, 'is missing', f);
		if (rows >= 0 && column.length !== rows) throw new MultivariateInputError(period, `has ${column.length} rows, other features ${rows}`, f);
		rows = column.length;
	}
	if (rows <= 0) throw new MultivariateInputError(period, 'contains no rows');
	return rows;
}
