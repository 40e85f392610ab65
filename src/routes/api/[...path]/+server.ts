import type { RequestHandler } from './$types';
import { getServer } from '$server/context';

// Every /api/* request goes to the one Hono app, so dev, build and tests share one router.
const forward: RequestHandler = async ({ request }) => (await getServer()).app.fetch(request);

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
export const HEAD = forward;
export const OPTIONS = forward;
