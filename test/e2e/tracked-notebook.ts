import type { APIRequestContext } from '@playwright/test';
import { expect } from './fixtures';

const MODEL_CELL = `\`\`\`model name=scores
model: /models/churn_lr.onnx
input: features
id: event_id
columns: tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan_standard, plan_premium, autopay, channel_ios, channel_android
\`\`\`

`;

/** 2,000 synthetic rows with the churn model's 11 features, a model cell (unless left out) and a drift cell. */
export function trackedNotebook(title: string, extraCells = '', withModel = true): string {
	return `---
title: ${title}
---

\`\`\`sql name=features
SELECT i AS event_id,
       (i % 48)::DOUBLE AS tenure_months,
       (20 + i % 80)::DOUBLE AS monthly_charges,
       (i % 9)::DOUBLE AS sessions_per_week,
       (5 + i % 30)::DOUBLE AS avg_session_minutes,
       (i % 4)::DOUBLE AS support_tickets,
       (CASE WHEN i < 1000 THEN i % 10 ELSE 10 + i % 40 END)::DOUBLE AS days_since_last_login,
       (i % 3 = 1)::DOUBLE AS plan_standard,
       (i % 3 = 2)::DOUBLE AS plan_premium,
       (i % 2)::DOUBLE AS autopay,
       (i % 5 = 0)::DOUBLE AS channel_ios,
       (i % 5 = 1)::DOUBLE AS channel_android
FROM range(2000) t(i)
ORDER BY event_id
\`\`\`

${withModel ? MODEL_CELL : ''}\`\`\`drift name=drift
table: features
split: event_id < 1000
columns: tenure_months, days_since_last_login
method: ks
\`\`\`
${extraCells}`;
}

export async function createNotebook(
	request: APIRequestContext,
	base: string,
	title: string,
	options: { token?: string; extraCells?: string; withModel?: boolean } = {}
): Promise<string> {
	const response = await request.post(`${base}/api/notebooks`, {
		data: { title, source: trackedNotebook(title, options.extraCells, options.withModel) },
		headers: options.token ? { authorization: `Bearer ${options.token}` } : {}
	});
	expect(response.status(), await response.text()).toBe(201);
	return ((await response.json()) as { notebook: { slug: string } }).notebook.slug;
}
