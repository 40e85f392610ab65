/** A file the user picked or dropped, as input cells and loads pass it around. */
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

export function isDroppedFile(value: unknown): value is DroppedFile {
	return !!value && typeof value === 'object' && (value as DroppedFile).file instanceof Blob && typeof (value as DroppedFile).name === 'string';
}
