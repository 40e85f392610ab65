import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '#server/http/errors.ts';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/http/validate.ts';
import { createToken, listTokens, revokeToken } from './service';
import { createTokenSchema } from '#lib/contracts/tokens.ts';

const tokenId = z.string().regex(/^tok_[0-9a-f]{1,64}$/, 'expected a token id (tok_…)');

/** /tokens (admin only in team mode): list, create (the secret is answered once), revoke. */
export function tokenRoutes({ store }: { store: Store }): Hono {
	return new Hono()
		.get('/', async (c) => c.json({ tokens: await listTokens(store) }))
		.post('/', async (c) => {
			const input = await validBody(c, createTokenSchema, 'token request');
			const { token, info } = await store.transaction((tx) => createToken(tx, input));
			return c.json({ token, info }, 201);
		})
		.delete('/:id', async (c) => {
			const id = validate(tokenId, c.req.param('id'), 'token id');
			if (!(await store.transaction((tx) => revokeToken(tx, id)))) throw notFound(`token ${id} not found or already revoked`);
			return c.json({ revoked: id });
		});
}
