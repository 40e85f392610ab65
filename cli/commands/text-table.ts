/**
 * A plain-text table: a header, a rule of dashes and the rows, columns two spaces apart, each
 * padded to its widest cell; the columns `rightAligned(i)` picks are aligned right (numbers).
 * Lines, without trailing spaces.
 */
export function textTable(header: readonly string[], rows: readonly string[][], rightAligned: (column: number) => boolean): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) => (rightAligned(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
