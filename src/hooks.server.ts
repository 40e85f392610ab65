import type { Handle, ServerInit } from '@sveltejs/kit';
import { getServer } from '#server/context.ts';
import { isolationHeaders } from '#server/http/isolation.js';
import { allowedHosts, misdirectedRefusal, misdirectedResponse } from '#server/http/host-check.ts';
import { allowedOrigins, crossSiteWriteRefusal } from '#server/http/origin-check.ts';
import { parseConnectSources, withConnectSources } from '#server/http/csp.js';

// Read once at start-up: a malformed value stops the server with a message naming the variable.
const connectSources = parseConnectSources(process.env.DRIFTBOOK_CONNECT_SRC);
const hosts = allowedHosts();
const origins = allowedOrigins();

// Open the store and run migrations before the first request, so a broken database fails start-up loudly.
export const init: ServerInit = async () => {
	await getServer();
};

export const handle: Handle = async ({ event, resolve }) => {
	// Pages and API alike: a rebound host name must not reach either.
	const misdirected = misdirectedRefusal(event.request, hosts);
	const refusal = misdirected ? undefined : crossSiteWriteRefusal(event.request, origins);
	const response = misdirected
		? misdirectedResponse(misdirected)
		: refusal
			? Response.json({ error: { code: 'forbidden', message: refusal } }, { status: 403 })
			: await resolve(event);
	for (const [name, value] of Object.entries(isolationHeaders)) response.headers.set(name, value);
	const policy = response.headers.get('content-security-policy');
	if (policy) response.headers.set('content-security-policy', withConnectSources(policy, connectSources));
	return response;
};
