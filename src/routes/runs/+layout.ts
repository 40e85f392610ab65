// Pages read the API with this browser's token (team mode): nothing to render on the server.
export const ssr = false;
