/**
 * The "New notebook" gallery: small notebooks that run as soon as they open, on the samples
 * bundled under static/samples (and the bundled model), for a newcomer to edit into their own.
 */
import { parseNotebook, printNotebook } from './format';

export interface NotebookTemplate {
	id: string;
	title: string;
	description: string;
	source: string;
}

const fence = (kind: string, name: string, body: string) => `\`\`\`${kind} name=${name}\n${body}\n\`\`\`\n`;
const notebook = (title: string, ...parts: string[]) => `---\ntitle: ${title}\n---\n\n${parts.join('\n')}`;

export const NOTEBOOK_TEMPLATES: readonly NotebookTemplate[] = [
	{
		id: 'blank',
		title: 'Blank notebook',
		description: 'One Markdown cell and one SQL cell, nothing loaded.',
		source: notebook('Untitled notebook', '# Untitled notebook\n', fence('sql', 'q1', 'SELECT 42 AS answer'))
	},
	{
		id: 'drift',
		title: 'Drift review',
		description: 'Churn events split into reference and current weeks, compared column by column.',
		source: notebook(
			'Drift review',
			'# Drift review\n',
			fence('data', 'events', 'url: /samples/churn_events.csv'),
			fence('sql', 'reference', "SELECT * EXCLUDE (event_id, customer_id, event_time)\nFROM events\nWHERE event_time < TIMESTAMP '2026-03-02'"),
			fence('sql', 'current', "SELECT * EXCLUDE (event_id, customer_id, event_time)\nFROM events\nWHERE event_time >= TIMESTAMP '2026-03-16'"),
			fence('drift', 'drift', 'reference: reference\ncurrent: current\nmethod: auto')
		)
	},
	{
		id: 'ab',
		title: 'A/B review',
		description: 'A checkout experiment: conversion of variants B and C against control A.',
		source: notebook(
			'A/B review',
			'# A/B review\n',
			fence('data', 'experiment', 'url: /samples/ab_experiment.csv'),
			fence('ab', 'conversion', 'table: experiment\ngroup: variant\nmetric: converted\ncontrol: A\ntime: assigned_at')
		)
	},
	{
		id: 'champion',
		title: 'Champion / challenger',
		description: 'Two churn models scored on the same customers, compared against the labels.',
		source: notebook(
			'Champion / challenger',
			'# Champion / challenger\n',
			fence('data', 'shadow', 'url: /samples/model_shadow.csv'),
			fence('champion', 'models', 'table: shadow\nlabel: churned\nchampion: model_v1\nchallenger: model_v2\nslice: plan')
		)
	},
	{
		id: 'model',
		title: 'Model demo',
		description: 'The bundled churn model (ONNX) scoring every event in this browser.',
		source: notebook(
			'Model demo',
			'# Model demo\n',
			fence('data', 'events', 'url: /samples/churn_events.csv'),
			fence(
				'model',
				'scores',
				'model: /models/churn_gbt.onnx\ninput: events\nid: event_id\ncolumns: tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan=standard, plan=premium, autopay, channel=ios, channel=android\nlabel: churned'
			)
		)
	}
];

/** The notebook text with its title set (the title lives in the text's front matter). */
export function withTitle(source: string, title: string): string {
	return printNotebook({ ...parseNotebook(source), title });
}
