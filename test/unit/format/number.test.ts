import { describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatCount,
	formatFull,
	formatReading,
	formatNumber,
	formatPercent,
	formatPValue,
	formatSigned,
	formatValue,
	PRECISE,
	storedValue,
	TABLE
} from '#lib/format/number.ts';

describe('formatNumber', () => {
	it('rounds to significant digits and switches to exponent form at the extremes', () => {
		expect(formatNumber(0.0123456)).toBe('0.0123');
		expect(formatNumber(0.0123456, PRECISE)).toBe('0.01235');
		expect(formatNumber(123456.7)).toBe('123000');
		expect(formatNumber(1234567)).toBe('1.23e+6');
		expect(formatNumber(0.00001234)).toBe('1.23e-5');
		expect(formatNumber(0.00001234, TABLE)).toBe('1.234e-5');
		expect(formatNumber(-0.5)).toBe('-0.5');
		expect(formatNumber(0)).toBe('0');
	});
	it('writes missing values by the style', () => {
		expect(formatNumber(NaN)).toBe('NaN');
		expect(formatNumber(Infinity)).toBe('Infinity');
		expect(formatNumber(null, TABLE)).toBe('—');
		expect(formatNumber(NaN, TABLE)).toBe('—');
	});
});

describe('formatSigned', () => {
	it('always shows the sign, typographic minus in prose and ASCII in tables', () => {
		expect(formatSigned(0.25)).toBe('+0.25');
		expect(formatSigned(-0.25)).toBe('−0.25');
		expect(formatSigned(-0.25, TABLE, '-')).toBe('-0.25');
		expect(formatSigned(0)).toBe('0');
		expect(formatSigned(undefined, TABLE)).toBe('—');
	});
});

describe('formatPValue', () => {
	it('has a sentence form and a table form, and says when p underflowed', () => {
		expect(formatPValue(0.01234, 'sentence')).toBe('p = 0.012');
		expect(formatPValue(3.21e-5, 'sentence')).toBe('p = 3.2e-5');
		expect(formatPValue(0, 'sentence')).toBe('p < 1e-300');
		expect(formatPValue(0.01234)).toBe('0.0123');
		expect(formatPValue(3.21e-5)).toBe('3.21e-5');
		expect(formatPValue(0)).toBe('< 1e-300');
		expect(formatPValue(null)).toBe('—');
	});
});

describe('other formats', () => {
	it('percent, count, value and bytes', () => {
		expect(formatPercent(0.12345)).toBe('12.3%');
		expect(formatCount(1234567)).toBe('1,234,567');
		expect(formatValue(1234.56789)).toBe('1,234.57');
		expect(formatValue(0.0001234)).toBe('1.234e-4');
		expect(formatValue(null)).toBe('∅');
		expect(formatBytes(512)).toBe('512 bytes');
		expect(formatBytes(1_500_000)).toBe('1.5 MB');
		expect(formatBytes(135_000_000)).toBe('135 MB');
	});
});

describe('formatFull', () => {
	it('writes a number as stored, with thousands separators, never rounded', () => {
		expect(formatFull(2232588.5)).toBe('2,232,588.5');
		expect(formatFull(-1234567)).toBe('-1,234,567');
		expect(formatFull(0.1)).toBe('0.1');
		expect(formatFull(999)).toBe('999');
		expect(formatFull(3.2e-5)).toBe('0.000032');
		expect(formatFull(1e21)).toBe('1e+21');
	});
});

describe('formatReading', () => {
	it('rounds floats to 6 significant digits for reading, p-values in short exponent form', () => {
		expect(formatReading(0.1 + 0.2)).toBe('0.3');
		expect(formatReading(1234.56789012345)).toBe('1234.57');
		expect(formatReading(3.2e-5)).toBe('3.2e-5');
		expect(formatReading(3.21234567e-5)).toBe('3.21235e-5');
		expect(formatReading(-0.000123456789)).toBe('-0.000123457');
		expect(formatReading(2.5e20)).toBe('2.5e+20');
		expect(formatReading(0)).toBe('0');
	});
});

describe('storedValue', () => {
	it('keeps what a results table cell stores, for its tooltip and copy', () => {
		expect(storedValue(3.2123456789e-5)).toBe('0.000032123456789');
		expect(storedValue([0.171812345, -0.0306])).toBe('[0.171812345, -0.0306]');
		expect(storedValue(null)).toBeUndefined();
		expect(storedValue([undefined, undefined])).toBeUndefined();
	});
});
