import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Store } from '#server/store/index.ts';

/**
 * Webhook secrets at rest: AES-256-GCM under a key from DRIFTBOOK_SECRET_KEY (base64 of 32 bytes)
 * or, when that is not set, from `<data dir>/secret.key`, generated once (mode 0600) the first
 * time a secret is sealed. Each webhook's id is the additional data, so a sealed secret copied onto
 * another row does not open. Stored as `v1:<iv>:<tag>:<ciphertext>` (base64).
 */

export const SECRET_KEY_ENV = 'DRIFTBOOK_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;

/** Names a webhook in errors. */
export interface WebhookRef {
	webhook_id: string;
	name: string;
}

const describe = (hook: WebhookRef) => `webhook '${hook.name}' (${hook.webhook_id})`;

function decodeKey(text: string, source: string): Buffer {
	const key = Buffer.from(text.trim(), 'base64');
	if (key.length !== KEY_BYTES) throw new Error(`${source} must hold ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`), not ${key.length} bytes`);
	return key;
}

export class WebhookSecrets {
	readonly #env: NodeJS.ProcessEnv;
	readonly #file: string;
	#key: Buffer | undefined;

	/** `dataDir`: where the key file lives when the environment names no key. */
	constructor(options: { dataDir: string; env?: NodeJS.ProcessEnv }) {
		this.#env = options.env ?? process.env;
		this.#file = join(resolve(options.dataDir), SECRET_KEY_FILE);
	}

	/** Where the key comes from, for errors. */
	get source(): string {
		return this.#env[SECRET_KEY_ENV] ? SECRET_KEY_ENV : this.#file;
	}

	/**
	 * The key; `create`: generate the key file when there is none (sealing may, opening may not:
	 * a new key would never open what an old one sealed).
	 */
	async #loadKey(create: boolean): Promise<Buffer | undefined> {
		if (this.#key) return this.#key;
		const fromEnv = this.#env[SECRET_KEY_ENV];
		if (fromEnv) return (this.#key = decodeKey(fromEnv, SECRET_KEY_ENV));
		try {
			return (this.#key = decodeKey(await readFile(this.#file, 'utf8'), this.#file));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			if (!create) return undefined;
		}
		await mkdir(dirname(this.#file), { recursive: true });
		try {
			// 'wx': of two processes generating at once, one writes and both read the winner's key.
			await writeFile(this.#file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		return (this.#key = decodeKey(await readFile(this.#file, 'utf8'), this.#file));
	}

	async seal(webhookId: string, secret: string): Promise<string> {
		const key = (await this.#loadKey(true)) as Buffer;
		const iv = randomBytes(IV_BYTES);
		const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(webhookId, 'utf8'));
		const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
		return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join(':');
	}

	/** The webhook's secret; throws naming the webhook when the key is missing or is not the one that sealed it. */
	async open(hook: WebhookRef, sealed: string): Promise<string> {
		const key = await this.#loadKey(false);
		if (!key) {
			throw new Error(
				`${describe(hook)} has an encrypted secret but there is no key to open it: ${SECRET_KEY_ENV} is not set and ${this.#file} does not exist; restore the key it was encrypted with`
			);
		}
		const [version, iv, tag, ciphertext] = sealed.split(':');
		if (version !== 'v1' || ciphertext === undefined) throw new Error(`${describe(hook)}: its stored secret is not in a known format (${version})`);
		try {
			const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64')).setAAD(Buffer.from(hook.webhook_id, 'utf8'));
			decipher.setAuthTag(Buffer.from(tag, 'base64'));
			return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
		} catch {
			throw new Error(`${describe(hook)}: its secret does not decrypt with the key from ${this.source}; it was encrypted with another key`);
		}
	}
}

/**
 * Seals the secrets written in plain text before migration 12 (column plain_secret); run at
 * start-up, before anything sends. Returns how many it sealed.
 */
export async function sealPlainSecrets(store: Store, secrets: WebhookSecrets): Promise<number> {
	return store.transaction(async (tx) => {
		const rows = await tx.query<WebhookRef & { plain_secret: string }>(
			`SELECT webhook_id, name, plain_secret FROM webhooks WHERE plain_secret IS NOT NULL FOR UPDATE`
		);
		for (const row of rows) {
			await tx.query(`UPDATE webhooks SET sealed_secret = $2, plain_secret = NULL WHERE webhook_id = $1`, [
				row.webhook_id,
				await secrets.seal(row.webhook_id, row.plain_secret)
			]);
		}
		return rows.length;
	});
}
