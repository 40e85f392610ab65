/**
 * `models:/<name>@<alias>` and `models:/<name>/<version>` in a model cell, resolved in the
 * browser through the server's MLflow REST API to a model file the inference worker can fetch:
 * alias → version (registered-models/alias), version → artifact URI
 * (model-versions/get-download-uri), `mlflow-artifacts:/…` → /api/2.0/mlflow-artifacts/artifacts/…,
 * and a directory (an MLflow model folder) → its one .onnx file or TF.js model.json.
 */
export interface RegistryReference {
	name: string;
	alias?: string;
	version?: string;
}

export interface ResolvedModel {
	url: string;
	name: string;
	version: string;
	/** The artifact URI the registry gave, for display. */
	artifactUri: string;
}

type Fetch = (url: string) => Promise<Response>;

/** The registry reference in `uri`, undefined for anything that is not `models:/…`. */
export function parseModelUri(uri: string): RegistryReference | undefined {
	if (!uri.startsWith('models:/')) return undefined;
	const rest = uri.slice('models:/'.length);
	const byAlias = /^([^/@]+)@([\w-]+)$/.exec(rest);
	if (byAlias) return { name: decodeURIComponent(byAlias[1]), alias: byAlias[2] };
	const byVersion = /^([^/@]+)\/(\d+)$/.exec(rest);
	if (byVersion) return { name: decodeURIComponent(byVersion[1]), version: byVersion[2] };
	throw new Error(`"${uri}" is not a registry model: write models:/<name>@<alias> or models:/<name>/<version>`);
}

async function mlflowGet<T>(fetchFn: Fetch, url: string, what: string): Promise<T> {
	const response = await fetchFn(url);
	const body = (await response.json().catch(() => undefined)) as (T & { message?: string; error_code?: string }) | undefined;
	if (!response.ok) {
		const detail = body?.message ?? `HTTP ${response.status}`;
		throw new Error(`${what}: ${detail}`);
	}
	return body as T;
}

const MODEL_FILE = /(\.onnx|(^|\/)model\.json)$/;

/** The browser URL of an artifact URI, or an error saying why a browser cannot read it. */
export function artifactUrl(artifactUri: string, apiBase: string): { url: string; path: string } {
	const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(artifactUri);
	if (proxied) {
		const path = proxied[1].replace(/\/+$/, '');
		return { url: `${apiBase}/2.0/mlflow-artifacts/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`, path };
	}
	if (/^https?:\/\//.test(artifactUri)) return { url: artifactUri, path: '' };
	throw new Error(
		`the registry stores this model at ${artifactUri}, which a browser cannot read: log it through the server's artifact store (mlflow-artifacts:/…)`
	);
}

/** Resolves a registry reference to the URL of its model file; `apiBase` is the server's /api. */
export async function resolveRegistryModel(uri: string, apiBase: string, fetchFn: Fetch = fetch): Promise<ResolvedModel> {
	const ref = parseModelUri(uri);
	if (!ref) throw new Error(`"${uri}" is not a models:/ reference`);
	const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
	const mlflow = `${apiBase}/2.0/mlflow`;
	let version = ref.version;
	if (ref.alias) {
		const answer = await mlflowGet<{ model_version: { version: string } }>(
			fetchFn,
			`${mlflow}/registered-models/alias?${q({ name: ref.name, alias: ref.alias })}`,
			`model ${uri}`
		);
		version = String(answer.model_version.version);
	}
	const { artifact_uri } = await mlflowGet<{ artifact_uri: string }>(
		fetchFn,
		`${mlflow}/model-versions/get-download-uri?${q({ name: ref.name, version: version! })}`,
		`model ${uri} (version ${version})`
	);
	const { url, path } = artifactUrl(artifact_uri, apiBase);
	const resolved = { name: ref.name, version: version!, artifactUri: artifact_uri };
	if (MODEL_FILE.test(artifact_uri) || !path) return { ...resolved, url };

	// A directory: an MLflow model folder holding the .onnx (or a TF.js model.json).
	const listing = await mlflowGet<{ files?: Array<{ path: string; is_dir: boolean }> }>(
		fetchFn,
		`${apiBase}/2.0/mlflow-artifacts/artifacts?${q({ path })}`,
		`model ${uri} (version ${version}, ${artifact_uri})`
	);
	const candidates = (listing.files ?? []).filter((f) => !f.is_dir && MODEL_FILE.test(f.path)).map((f) => f.path);
	if (candidates.length !== 1) {
		const found = (listing.files ?? []).map((f) => f.path).join(', ') || 'nothing';
		throw new Error(
			`model ${uri} (version ${version}): expected one .onnx file or model.json in ${artifact_uri}, found ${candidates.length === 0 ? found : candidates.join(', ')}`
		);
	}
	return { ...resolved, url: `${url}/${encodeURIComponent(candidates[0])}` };
}
