/**
 * MLflow's wire shapes, as the server answers them under /api/2.0/mlflow and the browser reads
 * them (protobuf JSON: snake_case, empty lists left out, NaN and infinities as strings):
 * experiments, runs, metrics, artifacts, logged models, registered models, versions, aliases,
 * and driftbook's alias history.
 */

/** Key/value pairs (tags, params) as MLflow sends them. */
export interface KeyValue {
	key: string;
	value: string;
}

/** A metric value as MLflow's JSON has it (value as protobuf JSON writes doubles). */
export interface Metric {
	key: string;
	value: number | string;
	timestamp: number;
	step: number;
	model_id?: string;
	dataset_name?: string;
	dataset_digest?: string;
	run_id?: string;
}

/** An experiment as MLflow's JSON has it. */
export interface Experiment {
	experiment_id: string;
	name: string;
	artifact_location: string;
	lifecycle_stage: 'active' | 'deleted';
	last_update_time: number;
	creation_time: number;
	tags?: KeyValue[];
}

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

export interface RunInfo {
	run_id: string;
	run_uuid: string;
	run_name: string;
	experiment_id: string;
	user_id?: string;
	status: RunStatus;
	start_time?: number;
	end_time?: number;
	artifact_uri: string;
	lifecycle_stage: 'active' | 'deleted';
}

/** A dataset as runs/log-inputs sends it (name, digest, source_type and source required). */
export interface Dataset {
	name: string;
	digest: string;
	source_type: string;
	source: string;
	schema?: string;
	profile?: string;
}

export interface DatasetInput {
	tags?: KeyValue[];
	dataset: Dataset;
}

export interface Run {
	info: RunInfo;
	data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
	inputs: { dataset_inputs?: DatasetInput[]; model_inputs?: { model_id: string }[] };
	outputs: { model_outputs?: { model_id: string; step: number }[] };
}

export interface ArtifactEntry {
	/** The basename, as the mlflow-artifacts list answers it. */
	path: string;
	is_dir: boolean;
	file_size?: number;
}

export type LoggedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export const LOGGED_MODEL_STATUSES: readonly LoggedModelStatus[] = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

export interface LoggedModelInfo {
	model_id: string;
	experiment_id: string;
	name: string;
	creation_timestamp_ms: number;
	last_updated_timestamp_ms: number;
	artifact_uri: string;
	status: LoggedModelStatus;
	model_type?: string;
	source_run_id?: string;
	status_message?: string;
	tags?: KeyValue[];
	registrations?: { name: string; version: string }[];
}

export interface LoggedModel {
	info: LoggedModelInfo;
	data: { params?: KeyValue[]; metrics?: Metric[] };
}

export type Stage = 'None' | 'Staging' | 'Production' | 'Archived';

export interface ModelVersion {
	name: string;
	version: string;
	creation_timestamp: number;
	last_updated_timestamp: number;
	current_stage: Stage;
	description?: string;
	source: string;
	run_id?: string;
	run_link?: string;
	status: 'READY';
	tags?: KeyValue[];
	aliases?: string[];
	model_id?: string;
}

export interface RegisteredModel {
	name: string;
	creation_timestamp: number;
	last_updated_timestamp: number;
	description?: string;
	latest_versions?: ModelVersion[];
	tags?: KeyValue[];
	aliases?: { alias: string; version: string }[];
}

export interface CreateModelVersionInput {
	name: string;
	source: string;
	run_id?: string;
	run_link?: string;
	description?: string;
	tags?: KeyValue[];
	model_id?: string;
}

/** One move of a registered model alias; a null version means the alias did not exist. */
export interface AliasEvent {
	id: number;
	name: string;
	alias: string;
	from_version: string | null;
	to_version: string | null;
	actor: string;
	reason: string | null;
	created_at: string;
}
