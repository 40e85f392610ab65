/** Display formatting shared by output views. */
export function formatValue(value: unknown): string {
	if (value === null || value === undefined) return '∅';
	if (typeof value === 'number') {
		if (Number.isInteger(value)) return value.toLocaleString('en-US');
		return Math.abs(value) >= 1e-3 || value === 0 ? value.toLocaleString('en-US', { maximumSignificantDigits: 6 }) : value.toExponential(3);
	}
	if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$/, '');
	return String(value);
}

export function formatPValue(p: number | null): string {
	if (p === null) return '—';
	if (p === 0) return '< 1e-300';
	return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

export function formatCount(n: number): string {
	return n.toLocaleString('en-US');
}
