/** Bad input to the A/B statistics (unknown group, too few rows, a non-numeric metric): the caller's to fix. */
export class AbInputError extends Error {
	/** 0-based row of the offending value, when one row is to blame. */
	readonly row?: number;
	constructor(message: string, row?: number) {
		super(message);
		this.name = 'AbInputError';
		if (row !== undefined) this.row = row;
	}
}
