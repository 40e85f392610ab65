// Schema names go into search_path and DDL unquoted, so only plain identifiers are accepted.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
	if (!IDENTIFIER.test(schema)) {
		throw new Error(`store schema "${schema}" must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters)`);
	}
	return schema;
}
