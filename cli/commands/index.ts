import type { Command } from './command';

/**
 * Every subcommand, in `--help` order: name and summary here, usage and implementation in its
 * module, imported when the command runs. Add new commands here.
 */
export const commands: readonly Command[] = [
	{ name: 'drift', summary: 'drift report of a current data file against a reference (CSV or Parquet)', load: () => import('./drift') },
	{ name: 'ab', summary: 'A/B experiment: sample-ratio check and every variant against control (CSV)', load: () => import('./ab') },
	{ name: 'estimate', summary: 'estimated model performance without labels, per chunk (CBPE, as NannyML)', load: () => import('./estimate') },
	{
		name: 'multivariate',
		summary: 'multivariate drift per chunk (PCA data reconstruction or a domain classifier, as NannyML)',
		load: () => import('./multivariate')
	},
	{ name: 'check', summary: 'data-quality checks learnt from a reference (missing, unseen, range, type)', load: () => import('./check') },
	{ name: 'token', summary: 'create, list and revoke API tokens (team mode)', load: () => import('./token') },
	{ name: 'serve', summary: 'serve the API alone (headless: MLflow clients, team servers)', load: () => import('./serve') }
];
