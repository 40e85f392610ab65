/**
 * Cross-site request forgery guard for the API. Browsers always send `Origin` on cross-site
 * writes, so a write whose Origin is another site is refused. Requests without an Origin come
 * from programs (the MLflow Python client, curl), which a web page cannot forge, and pass.
 * SvelteKit's own check is off because it also refuses those programs' `text/plain` uploads.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Extra origins allowed to write, from DRIFTBOOK_CORS_ORIGINS (comma-separated). */
export function allowedOrigins(env: string | undefined = process.env.DRIFTBOOK_CORS_ORIGINS): Set<string> {
	return new Set(
		(env ?? '')
			.split(',')
			.map((o) => o.trim())
			.filter(Boolean)
	);
}

/** Why this request must be refused, or undefined when it may proceed. */
export function crossSiteWriteRefusal(request: Request, allowed: ReadonlySet<string> = allowedOrigins()): string | undefined {
	if (SAFE_METHODS.has(request.method)) return undefined;
	const origin = request.headers.get('origin');
	if (origin === null) return undefined;
	if (allowed.has(origin)) return undefined;
	// Compare hosts, not schemes: behind adapter-node without ORIGIN set, request.url says https.
	const ownHost = request.headers.get('host') ?? new URL(request.url).host;
	let originHost: string | undefined;
	try {
		originHost = new URL(origin).host;
	} catch {
		originHost = undefined;
	}
	if (originHost === ownHost) return undefined;
	return `cross-site ${request.method} from ${origin} refused (allow it with DRIFTBOOK_CORS_ORIGINS)`;
}
