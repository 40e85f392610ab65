import type { PageLoad } from './$types';
import { loadFromApi } from '#lib/api/page-load.ts';
import { listDeliveries, listWebhooks } from '#lib/api/webhooks.ts';

export const load: PageLoad = ({ fetch, url }) =>
	loadFromApi(url, 'could not load the webhooks', async () => {
		const webhooks = await listWebhooks(fetch);
		const deliveries = Object.fromEntries(await Promise.all(webhooks.map(async (w) => [w.webhook_id, await listDeliveries(fetch, w.webhook_id)] as const)));
		return { webhooks, deliveries };
	});
