/** What an input cell holds: the value cells that read it receive. Part of the services every kind sees. */

export interface DateRange {
	start: string;
	end: string;
}

/** A chosen or dropped file. Its bytes stay in the browser's File until a loader reads them, in slices. */
export interface DroppedFile {
	name: string;
	size: number;
	type: string;
	file: Blob;
}

export function droppedFile(file: File): DroppedFile {
	return { name: file.name, size: file.size, type: file.type, file };
}

export type InputValue = number | string | boolean | DateRange | DroppedFile | null;
