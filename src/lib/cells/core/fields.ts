import { parseFields } from '#lib/notebook/format.ts';
import type { CellSpec } from '#lib/notebook/format.ts';

/** Typed access to a declarative cell's `key: value` fields, with errors naming cell and field. */
export class Fields {
	readonly values: Record<string, string>;

	constructor(readonly cell: CellSpec) {
		this.values = parseFields(cell.source, cell.name);
	}

	#fail(field: string, message: string): never {
		throw new Error(`cell ${this.cell.name}, field "${field}": ${message}`);
	}

	optional(field: string): string | undefined {
		const value = this.values[field];
		return value === undefined || value === '' ? undefined : value;
	}

	required(field: string): string {
		return this.optional(field) ?? this.#fail(field, 'is required');
	}

	list(field: string): string[] | undefined {
		const value = this.optional(field);
		return value
			?.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== '');
	}

	number(field: string): number | undefined {
		const value = this.optional(field);
		if (value === undefined) return undefined;
		const n = Number(value);
		if (!Number.isFinite(n)) this.#fail(field, `"${value}" is not a number`);
		return n;
	}

	oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
		const value = this.optional(field) ?? fallback;
		if (!allowed.includes(value as T)) this.#fail(field, `"${value}" is not one of ${allowed.join(', ')}`);
		return value as T;
	}

	/** Field values that name other cells become the cell's inputs (an unknown name is reported by the runtime). */
	referenced(fields: readonly string[]): string[] {
		const names = fields.map((f) => this.optional(f)).filter((v): v is string => v !== undefined);
		return [...new Set(names)];
	}
}
