import { describe, expect, it } from 'vitest';
import { inferTextType, parseDateText, parseTimestampText } from '#lib/ingest/text-types.ts';

describe('types of text values', () => {
	it('picks the narrowest type every value fits', () => {
		expect(inferTextType(['1', '-2', '', '+3']).type).toBe('BIGINT');
		expect(inferTextType(['1', '2.5', '1e3', 'inf']).type).toBe('DOUBLE');
		expect(inferTextType(['true', 'FALSE']).type).toBe('BOOLEAN');
		expect(inferTextType(['1', 'x']).type).toBe('VARCHAR');
		expect(inferTextType(['99999999999999999999']).type).toBe('VARCHAR');
		expect(inferTextType(['', '']).type).toBe('VARCHAR');
		expect(inferTextType(['inf', 'nan']).type).toBe('VARCHAR');
	});

	it('finds dates, timestamps and their formats, and says when day and month are ambiguous', () => {
		expect(inferTextType(['2024-01-31', '2024-02-29'])).toEqual({ type: 'DATE', dateformat: undefined, ambiguous: false });
		expect(inferTextType(['2023-02-29']).type).toBe('VARCHAR');
		expect(inferTextType(['31/01/2024', '01/02/2024'])).toEqual({ type: 'DATE', dateformat: '%d/%m/%Y', ambiguous: false });
		expect(inferTextType(['01/31/2024', '02/01/2024'])).toEqual({ type: 'DATE', dateformat: '%m/%d/%Y', ambiguous: false });
		expect(inferTextType(['01/02/2024']).ambiguous).toBe(true);
		expect(inferTextType(['2024-01-31 10:00:00', '2024-01-31T10:00:00.123456']).type).toBe('TIMESTAMP');
		expect(inferTextType(['2024-01-31 10:00:00+02:00', '2024-01-31T10:00:00Z']).type).toBe('TIMESTAMPTZ');
		expect(inferTextType(['31.01.2024 10:00:00'])).toMatchObject({ type: 'TIMESTAMP', timestampformat: '%d.%m.%Y %H:%M:%S' });
		expect(inferTextType(['2024 Jan 31'], { dateformat: '%Y %b %d' })).toEqual({ type: 'DATE', dateformat: '%Y %b %d' });
	});

	it('parses dates and timestamps for JSON the way DuckDB reads them', () => {
		expect(parseDateText('2024-03-01')).toBe(Date.UTC(2024, 2, 1) / 86_400_000);
		expect(parseDateText('01/03/2024', '%d/%m/%Y')).toBe(Date.UTC(2024, 2, 1) / 86_400_000);
		expect(parseDateText('2024-02-30')).toBeNull();
		expect(parseTimestampText('2024-03-01 10:00:00.5')).toBe(Date.UTC(2024, 2, 1, 10) * 1000 + 500_000);
		expect(parseTimestampText('2024-03-01T10:00:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8) * 1000);
		expect(parseTimestampText('nope')).toBeNull();
	});
});
