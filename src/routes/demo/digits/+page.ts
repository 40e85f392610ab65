// The digits demo runs entirely in the browser: no server call, no server rendering.
export const ssr = false;
