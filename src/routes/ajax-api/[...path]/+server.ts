import type { RequestHandler } from './$types';
import { getServer } from '#server/context.ts';
import { fromAjaxApi } from '#server/http/ajax-api.ts';

// /ajax-api/2.0/mlflow/… (MLflow's UI and some clients): the same Hono app as /api/2.0/mlflow/…;
// any other /ajax-api path is answered by the app's JSON 404.
const forward: RequestHandler = async ({ request, getClientAddress }) => (await getServer()).app.fetch(fromAjaxApi(request), { clientIp: getClientAddress() });

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
export const HEAD = forward;
export const OPTIONS = forward;
