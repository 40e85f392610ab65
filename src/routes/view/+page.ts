// A shared notebook lives in the URL fragment, which only the browser sees.
export const ssr = false;
