import type { Migration } from './migration';

/**
 * Webhook secrets encrypted at rest (server/webhooks/secrets.ts): `sealed_secret` holds the
 * AES-256-GCM ciphertext. The key lives outside the database (environment or key file), so SQL
 * cannot encrypt: secrets written before this migration stay in `plain_secret` (the old column,
 * renamed so no reader takes it for the secret) until start-up seals them and clears it.
 */
export const migration: Migration = {
	version: 12,
	name: 'sealed_webhook_secrets',
	sql: `
ALTER TABLE webhooks RENAME COLUMN secret TO plain_secret;
ALTER TABLE webhooks ADD COLUMN sealed_secret text;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_one_secret CHECK (plain_secret IS NULL OR sealed_secret IS NULL);
`
};
