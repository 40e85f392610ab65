import type { Handle, ServerInit } from '@sveltejs/kit';
import { getServer } from '$server/context';
import { isolationHeaders } from '$server/isolation.js';
import { crossSiteWriteRefusal } from '$server/origin-check';

// Open the store and run migrations before the first request, so a broken database fails start-up loudly.
export const init: ServerInit = async () => {
	await getServer();
};

export const handle: Handle = async ({ event, resolve }) => {
	const refusal = crossSiteWriteRefusal(event.request);
	const response = refusal
		? Response.json({ error: { code: 'forbidden', message: refusal } }, { status: 403 })
		: await resolve(event);
	for (const [name, value] of Object.entries(isolationHeaders)) response.headers.set(name, value);
	return response;
};
