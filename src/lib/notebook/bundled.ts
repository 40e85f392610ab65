// The notebooks shipped in notebooks/, compiled into the app for demo pages.
const files = import.meta.glob('/notebooks/*.driftbook.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function bundledNotebook(name: string): string | undefined {
	return files[`/notebooks/${name}.driftbook.md`];
}

export function bundledNotebookNames(): string[] {
	return Object.keys(files).map((path) => path.replace(/^\/notebooks\/|\.driftbook\.md$/g, ''));
}
