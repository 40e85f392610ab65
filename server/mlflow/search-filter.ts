import { invalidParameter } from './errors';

/**
 * MLflow's search filter grammar (runs/search, experiments/search, registered-models/search,
 * model-versions/search, logged-models/search), parsed here and compiled to parameterised SQL:
 * keys and values only ever travel as bind parameters; the SQL text around them comes from the
 * schemas in this module's callers.
 *
 *   filter     := comparison ( AND comparison )*
 *   comparison := identifier op value
 *   identifier := [prefix "."] key      prefix: metrics|params|tags|attributes… (per search)
 *                 key: a word, or `backticked` / "double-quoted" for special characters
 *   op         := = | != | <> | > | >= | < | <= | LIKE | ILIKE | IN | NOT IN
 *   value      := 'string' | "string" | number | ( 'string', … )
 */

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export type FilterValue = { kind: 'string'; value: string } | { kind: 'number'; value: number; text: string } | { kind: 'list'; values: string[] };

/** An identifier as written: the prefix (before the first dot of a plain word) and the key. */
export interface Identifier {
	prefix?: string;
	key: string;
}

export interface Comparison extends Identifier {
	op: Operator;
	value: FilterValue;
}

export interface OrderTerm extends Identifier {
	ascending: boolean;
}

type Token =
	| { t: 'ident'; id: Identifier; text: string }
	| { t: 'word'; text: string }
	| { t: 'string'; value: string; quote: "'" | '"' }
	| { t: 'number'; value: number; text: string }
	| { t: 'op'; op: '=' | '!=' | '>' | '>=' | '<' | '<=' }
	| { t: '(' }
	| { t: ')' }
	| { t: ',' };

const KEYWORDS = new Set(['AND', 'OR', 'LIKE', 'ILIKE', 'IN', 'NOT']);

function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
	let value = '';
	let i = start + 1;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '\\' && i + 1 < text.length) {
			value += text[i + 1];
			i += 2;
		} else if (ch === quote) {
			// SQL's doubled quote stands for one quote character.
			if (text[i + 1] === quote) {
				value += quote;
				i += 2;
				continue;
			}
			return { value, end: i + 1 };
		} else {
			value += ch;
			i++;
		}
	}
	throw invalidParameter(`Invalid filter: unterminated ${quote} quote at position ${start}: ${JSON.stringify(text)}`);
}

// Sticky: each matches at lastIndex only, so tokenizing never copies the rest of the text.
const NUMBER = /[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(?![\w.])/y;
const WORD = /[A-Za-z_][\w.]*/y;
const SPACE = /\s/;

/** Longest filter accepted, in characters, and most comparisons and list values in one (docs/api.md). */
export const MAX_FILTER_LENGTH = 16_384;
export const MAX_FILTER_COMPARISONS = 100;
export const MAX_FILTER_LIST_VALUES = 1_000;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (SPACE.test(ch)) {
			i++;
			continue;
		}
		if (ch === '(' || ch === ')' || ch === ',') {
			tokens.push({ t: ch });
			i++;
			continue;
		}
		const two = text.slice(i, i + 2);
		if (two === '!=' || two === '<>' || two === '>=' || two === '<=' || two === '==') {
			tokens.push({ t: 'op', op: two === '<>' ? '!=' : two === '==' ? '=' : two });
			i += 2;
			continue;
		}
		if (ch === '=' || ch === '<' || ch === '>') {
			tokens.push({ t: 'op', op: ch });
			i++;
			continue;
		}
		if (ch === "'") {
			const { value, end } = readQuoted(text, i, "'");
			tokens.push({ t: 'string', value, quote: "'" });
			i = end;
			continue;
		}
		if (ch === '"') {
			const { value, end } = readQuoted(text, i, '"');
			tokens.push({ t: 'string', value, quote: '"' });
			i = end;
			continue;
		}
		if (ch === '`') {
			const { value, end } = readQuoted(text, i, '`');
			tokens.push({ t: 'ident', id: { key: value }, text: text.slice(i, end) });
			i = end;
			continue;
		}
		NUMBER.lastIndex = i;
		const number = NUMBER.exec(text);
		if (number) {
			tokens.push({ t: 'number', value: Number(number[0]), text: number[0] });
			i += number[0].length;
			continue;
		}
		WORD.lastIndex = i;
		const word = WORD.exec(text);
		if (word) {
			const raw = word[0];
			i += raw.length;
			if (KEYWORDS.has(raw.toUpperCase())) {
				tokens.push({ t: 'word', text: raw.toUpperCase() });
				continue;
			}
			// prefix."quoted key" or prefix.`quoted key`
			if (raw.endsWith('.') && (text[i] === '"' || text[i] === '`')) {
				const start = i - raw.length;
				const { value, end } = readQuoted(text, i, text[i]);
				i = end;
				tokens.push({ t: 'ident', id: { prefix: raw.slice(0, -1), key: value }, text: text.slice(start, end) });
				continue;
			}
			if (raw.endsWith('.')) throw invalidParameter(`Invalid filter: identifier ${JSON.stringify(raw)} has no key`);
			const dot = raw.indexOf('.');
			tokens.push({ t: 'ident', id: dot < 0 ? { key: raw } : { prefix: raw.slice(0, dot), key: raw.slice(dot + 1) }, text: raw });
			continue;
		}
		throw invalidParameter(`Invalid filter: unexpected character ${JSON.stringify(ch)} at position ${i}: ${JSON.stringify(text)}`);
	}
	return tokens;
}

function describeToken(token: Token | undefined): string {
	if (!token) return 'end of filter';
	switch (token.t) {
		case 'ident':
			return token.text;
		case 'word':
			return token.text;
		case 'string':
			return `${token.quote}${token.value}${token.quote}`;
		case 'number':
			return token.text;
		case 'op':
			return token.op;
		default:
			return token.t;
	}
}

/** Parses a filter into its AND-joined comparisons; blank → none. Anything else is a 400. */
export function parseFilter(filter: string | undefined): Comparison[] {
	if (filter === undefined || filter.trim() === '') return [];
	if (filter.length > MAX_FILTER_LENGTH) {
		throw invalidParameter(`Invalid filter: ${filter.length} characters is longer than the limit of ${MAX_FILTER_LENGTH}`);
	}
	const tokens = tokenize(filter);
	const out: Comparison[] = [];
	let i = 0;
	const fail = (what: string): never => {
		throw invalidParameter(`Invalid filter ${JSON.stringify(filter)}: expected ${what}, found ${describeToken(tokens[i])}`);
	};
	for (;;) {
		// identifier (a double-quoted word on the left is an identifier too)
		const left = tokens[i];
		let id: Identifier;
		if (left?.t === 'ident') id = left.id;
		else if (left?.t === 'string' && left.quote === '"') id = { key: left.value };
		else return fail('an identifier such as metrics.rmse, params.alpha, tags.team or run_name');
		i++;

		// operator
		let op: Operator;
		const opToken = tokens[i];
		if (opToken?.t === 'op') op = opToken.op;
		else if (opToken?.t === 'word' && (opToken.text === 'LIKE' || opToken.text === 'ILIKE' || opToken.text === 'IN')) op = opToken.text;
		else if (opToken?.t === 'word' && opToken.text === 'NOT' && tokens[i + 1]?.t === 'word' && (tokens[i + 1] as { text: string }).text === 'IN') {
			op = 'NOT IN';
			i++;
		} else return fail('a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)');
		i++;

		// value
		let value: FilterValue;
		const v = tokens[i];
		if (op === 'IN' || op === 'NOT IN') {
			if (v?.t !== '(') return fail(`a parenthesised list after ${op}`);
			i++;
			const values: string[] = [];
			for (;;) {
				const item = tokens[i];
				if (item?.t === 'string') values.push(item.value);
				else if (item?.t === 'number') values.push(item.text);
				else return fail('a quoted string in the list');
				i++;
				const sep = tokens[i];
				if (sep?.t === ',') {
					i++;
					continue;
				}
				if (sep?.t === ')') break;
				return fail("',' or ')'");
			}
			value = { kind: 'list', values };
		} else if (v?.t === 'string') value = { kind: 'string', value: v.value };
		else if (v?.t === 'number') value = { kind: 'number', value: v.value, text: v.text };
		else return fail('a quoted string or a number');
		i++;
		if (value.kind === 'list' && value.values.length > MAX_FILTER_LIST_VALUES) {
			throw invalidParameter(`Invalid filter: a list of ${value.values.length} values is longer than the limit of ${MAX_FILTER_LIST_VALUES}`);
		}
		out.push({ ...id, op, value });
		if (out.length > MAX_FILTER_COMPARISONS) {
			throw invalidParameter(`Invalid filter: more than ${MAX_FILTER_COMPARISONS} comparisons joined with AND`);
		}

		if (i >= tokens.length) return out;
		const joiner = tokens[i];
		if (joiner?.t === 'word' && joiner.text === 'AND') {
			i++;
			continue;
		}
		if (joiner?.t === 'word' && joiner.text === 'OR') {
			throw invalidParameter(`Invalid filter ${JSON.stringify(filter)}: OR is not supported, only AND`);
		}
		return fail('AND');
	}
}

/** Parses one order_by entry: `identifier [ASC|DESC]`. */
export function parseOrderBy(clause: string): OrderTerm {
	const tokens = tokenize(clause);
	const first = tokens[0];
	let id: Identifier | undefined;
	if (first?.t === 'ident') id = first.id;
	else if (first?.t === 'string' && first.quote === '"') id = { key: first.value };
	let ascending = true;
	let rest = tokens.slice(1);
	// "asc"/"desc" arrive as identifiers (they are not filter keywords)
	const direction = rest[0];
	if (direction?.t === 'ident' && direction.id.prefix === undefined && /^(asc|desc)$/i.test(direction.id.key)) {
		ascending = direction.id.key.toUpperCase() === 'ASC';
		rest = rest.slice(1);
	}
	if (!id || rest.length > 0) {
		throw invalidParameter(`Invalid order_by clause ${JSON.stringify(clause)}: expected "<key> [ASC|DESC]"`);
	}
	return { ...id, ascending };
}

// ---------------------------------------------------------------------------------------------
// Compilation to SQL

/** Collects bind parameters; `add` answers the placeholder for one. */
export class SqlParams {
	readonly values: unknown[];

	constructor(initial: readonly unknown[] = []) {
		this.values = [...initial];
	}

	add(value: unknown): string {
		this.values.push(value);
		return `$${this.values.length}`;
	}
}

export type FieldType = 'string' | 'number';

/** A column of the searched row (SQL text from code, never from the request). */
export interface AttributeSpec {
	sql: string;
	type: FieldType;
	/** IN / NOT IN allowed (MLflow: run_id only). */
	list?: boolean;
	/** LIKE / ILIKE allowed (strings; default true). */
	like?: boolean;
	/** SQL to order by, when it differs from `sql` (ids filtered as text, ordered as numbers). */
	orderSql?: string;
}

/** A key/value child table (params, tags, metrics): how to test and how to read one key. */
export interface KeyedSpec {
	type: FieldType;
	/** The only keys it has (runs' dataset.name/digest/context); any key when absent. */
	keys?: readonly string[];
	/** IN / NOT IN allowed (MLflow: the dataset fields of runs). */
	list?: boolean;
	/** SQL of a condition that a row with key `key` satisfies `cond` (on its value column `v`). */
	exists(key: string, cond: (valueColumn: string) => string): string;
	/** SQL of the value of key `key` for the searched row (NULL when it has none), for ordering. */
	value?(key: string): string;
}

/**
 * The keyed spec of a key/value child table (params, tags, latest metrics): `table` aliased
 * `alias`, its rows of the searched row picked by `join` (all code, not input).
 */
export function keyValueTable(type: FieldType, table: string, alias: string, join: string): KeyedSpec {
	const rows = (key: string) => `FROM ${table} ${alias} WHERE ${join} AND ${alias}.key = ${key}`;
	return {
		type,
		// `IS TRUE` keeps each EXISTS a per-row subplan: bare EXISTS terms are pulled up into
		// semi-joins, and PostgreSQL's join search over n of them grows far faster than n.
		exists: (key, cond) => `(EXISTS (SELECT 1 ${rows(key)} AND ${cond(`${alias}.value`)}) IS TRUE)`,
		value: (key) => `(SELECT ${alias}.value ${rows(key)})`
	};
}

export interface SearchSchema {
	/** For messages: "runs", "experiments", … */
	what: string;
	/** Prefix as written (lower-cased) → entity name; `attributes` entries resolve to `attributes`. */
	prefixes: Record<string, string>;
	attributes: Record<string, AttributeSpec>;
	keyed: Record<string, KeyedSpec>;
}

const ORDERING_OPS = new Set<Operator>(['=', '!=', '>', '>=', '<', '<=']);
const STRING_OPS = new Set<Operator>(['=', '!=', 'LIKE', 'ILIKE']);

function resolve(
	schema: SearchSchema,
	id: Identifier
): { entity: 'attributes'; spec: AttributeSpec; key: string } | { entity: string; keyed: KeyedSpec; key: string } {
	const entity = id.prefix === undefined ? 'attributes' : schema.prefixes[id.prefix.toLowerCase()];
	if (entity === undefined) {
		throw invalidParameter(`Invalid entity type '${id.prefix}' in ${schema.what} search. Valid prefixes: ${Object.keys(schema.prefixes).join(', ')}`);
	}
	if (entity === 'attributes') {
		const spec = schema.attributes[id.key] ?? schema.attributes[id.key.toLowerCase()];
		if (!spec) {
			throw invalidParameter(`Invalid attribute key '${id.key}' in ${schema.what} search. Valid attributes: ${Object.keys(schema.attributes).join(', ')}`);
		}
		return { entity, spec, key: id.key };
	}
	const keyed = schema.keyed[entity];
	if (!keyed) throw invalidParameter(`Invalid entity type '${id.prefix}' in ${schema.what} search`);
	if (keyed.keys && !keyed.keys.includes(id.key)) {
		throw invalidParameter(`Invalid ${entity} key '${id.key}' in ${schema.what} search. Valid keys: ${keyed.keys.join(', ')}`);
	}
	return { entity, keyed, key: id.key };
}

function sqlOp(op: Operator): string {
	// From a closed set: op is one of the parser's operators, never request text.
	return op === 'NOT IN' ? 'NOT IN' : op;
}

function checkValue(schema: SearchSchema, label: string, type: FieldType, c: Comparison, allowList: boolean, allowLike: boolean): void {
	if (type === 'number') {
		if (!ORDERING_OPS.has(c.op)) throw invalidParameter(`Invalid comparator '${c.op}' for ${label} in ${schema.what} search: use =, !=, >, >=, < or <=`);
		if (c.value.kind !== 'number')
			throw invalidParameter(
				`Expected a numeric value for ${label} in ${schema.what} search, got ${JSON.stringify(c.value.kind === 'string' ? c.value.value : c.value.values)}`
			);
		return;
	}
	if (c.op === 'IN' || c.op === 'NOT IN') {
		if (!allowList)
			throw invalidParameter(`Invalid comparator '${c.op}' for ${label} in ${schema.what} search: IN and NOT IN only apply to run_id and dataset fields`);
		return;
	}
	if (!STRING_OPS.has(c.op) || (!allowLike && (c.op === 'LIKE' || c.op === 'ILIKE'))) {
		throw invalidParameter(`Invalid comparator '${c.op}' for ${label} in ${schema.what} search: use =, !=${allowLike ? ', LIKE or ILIKE' : ''}`);
	}
	if (c.value.kind !== 'string') {
		throw invalidParameter(
			`Expected a quoted string value for ${label} in ${schema.what} search (e.g. 'my-value'), got ${c.value.kind === 'number' ? c.value.text : 'a list'}`
		);
	}
}

function condition(op: Operator, column: string, value: FilterValue, params: SqlParams, type: FieldType): string {
	if (value.kind === 'list') {
		if (value.values.length === 0) return op === 'IN' ? 'FALSE' : 'TRUE';
		return `${column} ${sqlOp(op)} (${value.values.map((v) => params.add(v)).join(', ')})`;
	}
	const placeholder = params.add(value.value);
	if (type === 'number') {
		const cast = `${placeholder}::double precision`;
		// IEEE: NaN is neither equal to, greater nor less than anything; PostgreSQL would sort it last.
		if (op === '!=') return `${column} <> ${cast}`;
		return `(${column} ${sqlOp(op)} ${cast} AND ${column} <> 'NaN'::double precision)`;
	}
	return `${column} ${sqlOp(op)} ${placeholder}`;
}

/** The WHERE conditions for a filter (joined with AND; "TRUE" when none). */
export function compileFilter(schema: SearchSchema, comparisons: Comparison[], params: SqlParams): string {
	if (comparisons.length === 0) return 'TRUE';
	return comparisons
		.map((c) => {
			const target = resolve(schema, c);
			if ('spec' in target) {
				const { spec } = target;
				checkValue(schema, `attribute '${c.key}'`, spec.type, c, spec.list === true, spec.like !== false);
				return condition(c.op, spec.sql, c.value, params, spec.type);
			}
			const { keyed } = target;
			checkValue(schema, `${target.entity} key '${c.key}'`, keyed.type, c, keyed.list === true, true);
			const key = params.add(c.key);
			return keyed.exists(key, (column) => condition(c.op, column, c.value, params, keyed.type));
		})
		.join(' AND ');
}

export interface CompiledOrder {
	/** SQL expressions, each with its direction. */
	terms: string[];
	/** Attribute names ordered on, to skip them in the default tiebreaks. */
	attributes: Set<string>;
}

/** ORDER BY terms for `order_by` clauses ("key [ASC|DESC]"); missing values sort last either way. */
export function compileOrderBy(schema: SearchSchema, clauses: readonly string[], params: SqlParams): CompiledOrder {
	return compileOrderTerms(schema, clauses.map(parseOrderBy), params);
}

/** ORDER BY terms for parsed (or structured, as logged-models/search sends them) order terms. */
export function compileOrderTerms(schema: SearchSchema, orderTerms: readonly OrderTerm[], params: SqlParams): CompiledOrder {
	const terms: string[] = [];
	const attributes = new Set<string>();
	for (const term of orderTerms) {
		const target = resolve(schema, term);
		const direction = term.ascending ? 'ASC' : 'DESC';
		if ('spec' in target) {
			const sql = target.spec.orderSql ?? target.spec.sql;
			terms.push(`${sql} ${direction} NULLS LAST`);
			attributes.add(sql);
		} else {
			if (!target.keyed.value) throw invalidParameter(`Cannot order ${schema.what} by ${target.entity}`);
			terms.push(`${target.keyed.value(params.add(term.key))} ${direction} NULLS LAST`);
		}
	}
	return { terms, attributes };
}
