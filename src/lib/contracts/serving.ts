/**
 * Model serving (/api/serve): routing rules (canary, shadow), feedback on a logged prediction,
 * and the names of what a scoring answer carries.
 */
import { z } from 'zod';

export * from './serving-names';

const alias = z.string().regex(/^[\w-]{1,255}$/, 'expected an alias name (letters, digits, _ and -)');

/**
 * How requests to `models/<name>@<primary>` are answered: by the primary alias, or for
 * `canary.percent` of them by the canary alias; a `shadow` alias scores every request too, is
 * logged, and is never returned.
 */
export const routingRuleSchema = z
	.object({
		primary: alias,
		canary: z.object({ alias, percent: z.number().min(0).max(100) }).optional(),
		shadow: alias.optional()
	})
	.refine((rule) => rule.canary?.alias !== rule.primary, { message: 'the canary alias must differ from the primary alias', path: ['canary', 'alias'] })
	.refine((rule) => rule.shadow !== rule.primary, { message: 'the shadow alias must differ from the primary alias', path: ['shadow'] });
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/** The body of POST /api/serve/models/<name>/feedback: the true label of a logged request. */
export const feedbackSchema = z.object({
	request_id: z.string().min(1).max(200),
	label: z.union([z.number(), z.string().max(10_000), z.boolean(), z.array(z.union([z.number(), z.string(), z.boolean()])).max(100_000)])
});
export type Feedback = z.infer<typeof feedbackSchema>;
