/** Datasets stored on the server (/api/datasets): the formats it takes and what it answers. */

export const DATASET_FORMATS = ['csv', 'tsv', 'parquet', 'arrow', 'json', 'ndjson'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One stored version of a named dataset; the bytes behind an id never change. */
export interface Dataset {
	id: string;
	name: string;
	version: number;
	format: DatasetFormat;
	size_bytes: number;
	/** Hex sha256 of the file's bytes. */
	sha256: string;
	created_at: string;
	created_by: string;
}

/** A name's newest version, with how many versions the name has. */
export interface DatasetSummary extends Dataset {
	versions: number;
}
