// The token lives in this browser's storage only: nothing to render on the server.
export const ssr = false;
