/** Common result type of every statistical test / distance in this library. */
export interface TestResult<M extends string = string> {
	/** The test statistic or distance. */
	statistic: number;
	/** The p-value, or null for distances. */
	pValue: number | null;
	/** The method actually used, e.g. 'exact' or 'asymp' for KS. */
	method: M;
}
