import { apiRoute } from '#server/api-route.ts';

// Prometheus's usual scrape path: the API's /api/metrics (server/serving/routes.ts).
export const { GET, HEAD } = apiRoute;
