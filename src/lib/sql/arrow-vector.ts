import { makeBuilder, type DataType, type Vector } from 'apache-arrow';

/**
 * An Arrow column from plain values, null and undefined as nulls. Arrow's own `vectorFromArray`
 * compiles its null check with `new Function`, which the app's Content-Security-Policy (no
 * 'unsafe-eval') refuses in the browser; this builds the same column with a plain check.
 */
export function vectorFromValues<T extends DataType>(values: readonly unknown[], type: T): Vector<T> {
	const builder = makeBuilder({ type });
	builder.isValid = (value: unknown) => value !== null && value !== undefined;
	for (const value of values) builder.append(value as never);
	return builder.finish().toVector();
}
