/**
 * Lineage of a model version (/api/registry/models/:name/versions/:version/lineage): the run
 * that produced it (and its experiment), the datasets it saw (links made through this API, by
 * content hash, plus the run's MLflow dataset inputs), the drift / A/B / champion reports linked
 * to it, and the aliases pointing at it, also as a graph.
 */
import { z } from 'zod';
import type { Metric, ModelVersion, RunInfo } from './mlflow';

export const LINEAGE_REPORT_KINDS = ['drift', 'ab', 'champion'] as const;
export type LineageReportKind = (typeof LINEAGE_REPORT_KINDS)[number];

/** What a report found, shown with its link: `text` is one line, the rest are its headline numbers. */
export interface ReportSummary extends Record<string, unknown> {
	text: string;
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 lower-case hex digits)');
// Reports' summaries are shown, not queried: 64 KB of JSON each is plenty.
const summary = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= 65_536, 'must be at most 64 KB of JSON');

/** The body of PUT …/lineage: links to append (a dataset linked again by the same hash is updated, not repeated). */
export const lineageInputSchema = z
	.object({
		dataset: z
			.object({
				/** Hex sha256 of the data (the table's Arrow IPC stream). */
				sha256,
				name: z.string().trim().min(1).max(200).optional(),
				rows: z.number().int().nonnegative().optional(),
				/** An uploaded dataset (/api/datasets) with this hash. */
				dataset_id: z.uuid('expected a dataset id (a uuid)').optional()
			})
			.optional(),
		reports: z
			.array(
				z.object({
					kind: z.enum(LINEAGE_REPORT_KINDS),
					run_id: z
						.string()
						.regex(/^[0-9a-f]{32}$/, 'expected a run id (32 hex digits)')
						.optional(),
					artifact_path: z.string().min(1).max(1000).optional(),
					summary
				})
			)
			.max(50)
			.optional()
	})
	.refine((b) => b.dataset !== undefined || (b.reports?.length ?? 0) > 0, 'give a dataset or at least one report');
export type LineageInput = z.infer<typeof lineageInputSchema>;

export interface LineageDataset {
	/** 'link': linked through this API; 'mlflow_input': logged with the run (runs/log-inputs). */
	origin: 'link' | 'mlflow_input';
	sha256: string | null;
	/** MLflow's dataset digest (mlflow_input only). */
	digest: string | null;
	name: string | null;
	rows: number | null;
	dataset_id: string | null;
	/** MLflow's source type and source (mlflow_input only). */
	source_type: string | null;
	source: string | null;
	created_at: string | null;
	created_by: string | null;
}

export interface LineageReport {
	id: number;
	kind: LineageReportKind;
	run_id: string | null;
	artifact_path: string | null;
	summary: Record<string, unknown>;
	created_at: string;
	created_by: string;
}

export interface LineageRun {
	info: RunInfo;
	params: Record<string, string>;
	/** The latest value of each metric (NaN and ±Infinity as "NaN", "Infinity", "-Infinity"). */
	metrics: Metric[];
	tags: Record<string, string>;
}

export type LineageNodeType = 'model_version' | 'run' | 'dataset' | 'report' | 'experiment';

export interface LineageNode {
	id: string;
	type: LineageNodeType;
	label: string;
	data: Record<string, unknown>;
}

export interface LineageEdge {
	from: string;
	to: string;
	kind: 'contains' | 'produced' | 'trained_on' | 'input' | 'evaluates' | 'logged';
}

export interface LineageGraph {
	nodes: LineageNode[];
	edges: LineageEdge[];
}

export interface Lineage {
	model_version: ModelVersion;
	run: LineageRun | null;
	datasets: LineageDataset[];
	reports: LineageReport[];
	aliases: string[];
	graph: LineageGraph;
}
