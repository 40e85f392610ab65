import { apiRoute } from '#server/api-route.ts';

export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = apiRoute;
