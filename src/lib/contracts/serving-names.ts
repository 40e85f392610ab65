/**
 * The names serving shares with the browser: response headers and the model version tags a model
 * cell sets when it registers. Apart from `serving.ts` because that module builds zod schemas at
 * load, and zod 4 probes `Function('')` when it does — a script-src violation in the app's pages.
 */

/** The header naming the model version that answered (its number). */
export const SERVED_VERSION_HEADER = 'x-driftbook-model-version';
/** The header saying how the request was routed: `primary` or `canary` under a routing rule, else `direct`. */
export const SERVED_ROUTE_HEADER = 'x-driftbook-route';
/** The header naming the request in the prediction log, for feedback later. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** The header whose value keeps a caller on one side of a canary split (sticky routing). */
export const ROUTING_KEY_HEADER = 'x-routing-key';

/**
 * Model version tags carrying the model cell's pre-processing, set when a cell registers its
 * model: its `columns` as a JSON array and its `standardize` text. Serving builds the tensor
 * from named columns with them, as the cell does.
 */
export const COLUMNS_TAG = 'driftbook.columns';
export const STANDARDIZE_TAG = 'driftbook.standardize';
