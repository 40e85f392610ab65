/**
 * A big CSV is parsed on two cores (src/lib/ingest/csv/arrow-reader.ts): a second DuckDB-WASM reads
 * every other chunk into Arrow and the notebook's DuckDB appends those. The table must be the one a
 * single reader makes: every row, in file order, with the same types and values. The file here
 * (≈ 22 MB, above the 16 MiB threshold) has every type the loader detects, NULLs, quoted commas and
 * quoted newlines; its aggregates are computed here, as it is written.
 */
import { expect, test } from './fixtures';
import { localFile, settled } from './helpers';

const ROWS = 240_000;
const GROUPS = ['north', 'south', 'east', 'west', 'centre'];

function bigCsv() {
	const lines = ['id,grp,amount,price,day,at,flag,note'];
	let amountSum = 0;
	let amountCount = 0;
	let cents = 0;
	let flags = 0;
	let noteChars = 0;
	let multiline = 0;
	let epochs = 0;
	for (let i = 0; i < ROWS; i++) {
		const grp = GROUPS[(i * 7) % GROUPS.length];
		let amount = '';
		if (i % 19 !== 0) {
			const a = ((i * 7919) % 20_011) - 5_000;
			amount = String(a);
			amountSum += a;
			amountCount++;
		}
		const c = (i * 104_729) % 1_000_003;
		cents += c;
		const price = `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
		const d = new Date(Date.UTC(2023, 0, 1 + (i % 700)));
		const day = d.toISOString().slice(0, 10);
		const seconds = i % 86_400;
		epochs += d.getTime() / 1000 + seconds;
		const at = `${day} ${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
		const flag = i % 3 === 0;
		if (flag) flags++;
		const text = i % 997 === 0 ? `line one of ${i}\nline two, after a comma` : `order ${i}, shipped to the ${grp} warehouse`;
		if (text.includes('\n')) multiline++;
		noteChars += text.length;
		lines.push(`${i},${grp},${amount},${price},${day},${at},${flag},"${text}"`);
	}
	return {
		bytes: Buffer.from(lines.join('\n') + '\n'),
		expected: {
			n: ROWS,
			out_of_order: 0,
			amount_sum: amountSum,
			amounts: amountCount,
			cents,
			flags,
			note_chars: noteChars,
			multiline,
			epochs,
			groups: GROUPS.length
		}
	};
}

test('a big CSV read by two DuckDB-WASMs is the table one reader makes: every row, in order, same types and values', async ({ page }) => {
	test.setTimeout(400_000);
	const { bytes, expected } = bigCsv();
	expect(bytes.byteLength).toBeGreaterThan(16 << 20);
	await page.goto('/notebooks/datasets');
	await settled(page);
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles(localFile('big.csv', bytes));
	await expect.poll(() => page.evaluate(() => window.driftbook?.status('dataset')?.status), { timeout: 300_000 }).toBe('done');
	await settled(page);

	// The load report says a second DuckDB read some of the chunks.
	const phases = JSON.parse((await page.locator('[data-cell="dataset"] [data-testid=load-seconds]').getAttribute('data-phases')) ?? 'null') as {
		chunks: number;
		second_reader_chunks: number;
	} | null;
	expect(phases).not.toBeNull();
	expect(phases!.second_reader_chunks).toBeGreaterThan(0);
	expect(phases!.second_reader_chunks).toBeLessThan(phases!.chunks);

	const types = await page.evaluate(() =>
		window.driftbook!.query(
			`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'dataset' ORDER BY ordinal_position`
		)
	);
	expect(types.map((t) => `${t.name} ${t.type}`)).toEqual([
		'id BIGINT',
		'grp VARCHAR',
		'amount BIGINT',
		'price DOUBLE',
		'day DATE',
		'at TIMESTAMP',
		'flag BOOLEAN',
		'note VARCHAR'
	]);
	const [actual] = await page.evaluate(() =>
		window.driftbook!.query(`SELECT count(*)::DOUBLE AS n,
			count(*) FILTER (WHERE id <> rowid)::DOUBLE AS out_of_order,
			sum(amount)::DOUBLE AS amount_sum,
			count(amount)::DOUBLE AS amounts,
			sum(round(price * 100)::BIGINT)::DOUBLE AS cents,
			count(*) FILTER (WHERE flag)::DOUBLE AS flags,
			sum(length(note))::DOUBLE AS note_chars,
			count(*) FILTER (WHERE note LIKE '%' || chr(10) || '%')::DOUBLE AS multiline,
			sum(epoch(at) + 0 * epoch(day))::DOUBLE AS epochs,
			count(DISTINCT grp)::DOUBLE AS groups,
			count(*) FILTER (WHERE at::DATE <> day)::DOUBLE AS day_mismatch
		FROM dataset`)
	);
	expect(actual).toEqual({ ...expected, day_mismatch: 0 });
});
