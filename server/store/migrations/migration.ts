/**
 * A schema change. Migrations are TypeScript modules holding SQL rather than .sql files so they
 * load the same under tsx, vitest and the Vite-bundled production server (no file paths to resolve).
 * Never edit one that has shipped: add the next number.
 */
export interface Migration {
	version: number;
	name: string;
	sql: string;
}
