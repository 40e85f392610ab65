import type { NotebookConflictState } from './notebooks';

/** driftbook's error answers: `{"error":{"code","message"}}`; a notebook conflict adds `current`. */
export interface ApiErrorBody {
	error: { code: string; message: string; current?: NotebookConflictState };
}

/** MLflow's error answers (the /api/2.0/mlflow routes): a databricks.proto ErrorCode name and a message. */
export interface MlflowErrorBody {
	error_code: string;
	message: string;
}
