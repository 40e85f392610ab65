/**
 * DNS rebinding guard: a page on another site can point its own host name at this server's
 * address, and its requests then arrive with that name in `Host` and in `Origin` (so the
 * origin check sees a same-site request). Only requests naming this server are answered:
 * localhost, 127.0.0.1, [::1], the address it is bound to (HOST) and the names in
 * DRIFTBOOK_ALLOWED_HOSTS (comma-separated; `*` turns the check off). Others get 421.
 */

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '']);

/** A host name as it appears in a Host header, lower-cased, without port; IPv6 in brackets. */
function hostName(host: string): string {
	const trimmed = host.trim().toLowerCase();
	if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
	const colon = trimmed.indexOf(':');
	// More than one colon: a bare IPv6 address (a configured HOST such as ::1).
	if (colon >= 0 && trimmed.indexOf(':', colon + 1) >= 0) return `[${trimmed}]`;
	return colon >= 0 ? trimmed.slice(0, colon) : trimmed;
}

/** The host names this server answers to, or 'any' (DRIFTBOOK_ALLOWED_HOSTS=*). */
export function allowedHosts(env: NodeJS.ProcessEnv = process.env): Set<string> | 'any' {
	const configured = (env.DRIFTBOOK_ALLOWED_HOSTS ?? '')
		.split(',')
		.map((h) => h.trim())
		.filter(Boolean);
	if (configured.includes('*')) return 'any';
	const bound = env.HOST?.trim() ?? '';
	return new Set([...LOOPBACK, ...(ANY_ADDRESS.has(bound) ? [] : [hostName(bound)]), ...configured.map(hostName)]);
}

/** Why this request must be refused (its Host names another server), or undefined. */
export function misdirectedRefusal(request: Request, allowed: Set<string> | 'any' = allowedHosts()): string | undefined {
	if (allowed === 'any') return undefined;
	const host = request.headers.get('host');
	// HTTP/1.0 without Host: no browser sends that, so no page can rebind it.
	if (host === null) return undefined;
	if (allowed.has(hostName(host))) return undefined;
	return `this server does not answer to host ${JSON.stringify(host)} (allow it with DRIFTBOOK_ALLOWED_HOSTS)`;
}

/** The 421 answer, JSON like every other refusal. */
export function misdirectedResponse(message: string): Response {
	return Response.json({ error: { code: 'misdirected_request', message } }, { status: 421 });
}
