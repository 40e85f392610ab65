/** What an input cell holds: the value cells that read it receive. Part of the services every kind sees. */
import type { DroppedFile } from '#lib/ingest/sources/dropped-file.ts';

export interface DateRange {
	start: string;
	end: string;
}

export type InputValue = number | string | boolean | DateRange | DroppedFile | null;
