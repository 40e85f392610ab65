import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { buildJsonBatch, inferJsonSchema, parseRecord, scanJsonRecords } from '#lib/ingest/formats/json-arrow.ts';

function records(text: string, format: 'json' | 'ndjson') {
	const spans = scanJsonRecords(text, format);
	return { spans, values: spans.map((s) => parseRecord(text.slice(s.start, s.end))).flatMap((r) => ('value' in r ? [r.value] : [])) };
}

describe('JSON records with their lines', () => {
	it('splits a JSON array into elements, each with the line it starts on', () => {
		const text = '[\n  {"a": 1, "s": "x,]}"},\n  {"a": 2,\n   "s": "\\"q\\""},\n  {"a": 3}\n]\n';
		const { spans, values } = records(text, 'json');
		expect(spans.map((s) => s.line)).toEqual([2, 3, 5]);
		expect(values).toEqual([{ a: 1, s: 'x,]}' }, { a: 2, s: '"q"' }, { a: 3 }]);
	});

	it('reads NDJSON line by line, skipping blank lines', () => {
		const { spans, values } = records('{"a":1}\n\n{"a":2}\r\n{bad\n', 'ndjson');
		expect(spans.map((s) => s.line)).toEqual([1, 3, 4]);
		expect(values).toEqual([{ a: 1 }, { a: 2 }]);
		expect(parseRecord('{bad')).toMatchObject({ error: expect.stringContaining('invalid JSON') });
		expect(parseRecord('[1]')).toEqual({ error: 'the record is not a JSON object' });
	});

	it('reports a cut-off array and a single object', () => {
		expect(() => scanJsonRecords('[{"a":1},\n{"a":', 'json')).toThrow('line 2: the JSON array is not closed');
		expect(scanJsonRecords('{\n "a": 1\n}', 'json')).toEqual([{ start: 0, end: 11, line: 1 }]);
	});
});

describe('JSON types and Arrow batches', () => {
	it('infers types over all records, and says when a column is mixed', () => {
		const schema = inferJsonSchema([
			{ i: 1, f: 1, b: true, s: 'x', d: '2024-01-02', t: '2024-01-02T03:04:05Z', m: 1, o: { k: 1 }, n: null },
			{ i: 2, f: 2.5, b: false, s: 'y', d: '2024-01-03', t: '2024-01-02 03:04:05+01:00', m: 'one' }
		]);
		expect(schema.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
			'i BIGINT',
			'f DOUBLE',
			'b BOOLEAN',
			's VARCHAR',
			'd DATE',
			't TIMESTAMPTZ',
			'm VARCHAR',
			'o VARCHAR',
			'n VARCHAR'
		]);
		expect(schema.notes).toEqual(['column m: mixed int/string values, read as text (VARCHAR)', 'column o: objects and arrays are kept as JSON text']);
		expect(() => inferJsonSchema([{ a: 1 }], { columns: [{ name: 'b', type: 'BIGINT' }] })).toThrow('no record has a key "b"');
		expect(() => inferJsonSchema([{ a: 1 }], { columns: [{ name: 'a', type: 'HUGEINT' }] })).toThrow('JSON columns can be');
	});

	it('builds Arrow with the right values and nulls, rejecting records by line', () => {
		const text =
			'{"id":1,"v":1.5,"d":"2024-01-02","ok":true,"s":"é"}\n{"id":2,"d":null}\nnot json\n{"id":"three"}\n{"id":4,"v":-2,"ok":false,"s":"z","extra":1}\n';
		const spans = scanJsonRecords(text, 'ndjson');
		const schema = inferJsonSchema([{ id: 1, v: 1.5, d: '2024-01-02', ok: true, s: 'é' }], {
			columns: [
				{ name: 'id', type: 'BIGINT' },
				{ name: 'v', type: 'DOUBLE' }
			]
		});
		const batch = buildJsonBatch(text, spans, schema);
		expect(batch.rows).toBe(3);
		expect(batch.rejected.map((r) => [r.line, r.column])).toEqual([
			[3, undefined],
			[4, 'id']
		]);
		expect(batch.rejected[1].error).toBe('column "id": "three" is not BIGINT');
		const table = tableFromIPC(batch.ipc);
		expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int64', 'v:Float64', 'd:Date32<DAY>', 'ok:Bool', 's:Utf8']);
		expect(table.toArray().map((r) => r.toJSON())).toEqual([
			{ id: 1n, v: 1.5, d: Date.UTC(2024, 0, 2), ok: true, s: 'é' },
			{ id: 2n, v: null, d: null, ok: null, s: null },
			{ id: 4n, v: -2, d: null, ok: false, s: 'z' }
		]);
	});
});
