import type { RequestHandler } from './$types';
import { getServer } from '#server/context.ts';

// Every /api/* request goes to the one Hono app, so dev, build and tests share one router. The
// client's address keys the rate limit on failed token checks.
const forward: RequestHandler = async ({ request, getClientAddress }) => (await getServer()).app.fetch(request, { clientIp: getClientAddress() });

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
export const HEAD = forward;
export const OPTIONS = forward;
