/**
 * Turns a JavaScript cell into the text of the worker script that runs it. Pure string work, so
 * it is tested in Node; `sandbox.ts` hands the text to the sandboxed iframe, which starts it as a
 * worker from a blob: URL.
 *
 * A cell is either one expression (`weekly.length * 2`) whose value is the cell's value, or a
 * function body that ends in `return` (`const a = 1; return a + weekly.length`). Either way it
 * runs inside an async function, so `await` works. Inputs are the function's parameters.
 *
 * The user's code is part of the worker script itself rather than compiled with `new Function`
 * there: a later Content-Security-Policy then needs `worker-src blob:` but never `unsafe-eval`.
 */
import { parser } from '@lezer/javascript';

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/** User line L is line L + SCRIPT_LINE_OFFSET of the worker script. */
export const SCRIPT_LINE_OFFSET = 1;

/** The global function that holds the cell's code; stack frames name it. */
export const CELL_FUNCTION = '__driftbookCell';

const RESERVED = new Set(
	(
		'break case catch class const continue debugger default delete do else enum export extends false finally ' +
		'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
		'while with yield let static implements interface package private protected public await arguments eval'
	).split(' ')
);

/** Whether `name` can be a parameter name, so an input of that name reaches the code. */
export function isInputName(name: string): boolean {
	return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u.test(name) && !RESERVED.has(name) && name !== CELL_FUNCTION;
}

function statements(top: SyntaxNode): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	for (let child = top.firstChild; child; child = child.nextSibling) {
		if (child.name !== 'LineComment' && child.name !== 'BlockComment') out.push(child);
	}
	return out;
}

function hasError(tree: Tree): boolean {
	let error = false;
	tree.iterate({
		enter: (n) => {
			if (n.type.isError) error = true;
			return !error;
		}
	});
	return error;
}

let singleExpression: typeof parser | undefined;

/**
 * The cell as the body of an async function. A lone expression becomes `return (expression)`,
 * kept on its own lines so every line of the user's code keeps its number; that includes an
 * object literal written bare (`{ a: 1 }`), which JavaScript would otherwise read as a block.
 * Anything else (statements, or code that does not parse, which the engine then reports with
 * its line) is used as it is.
 */
export function functionBody(source: string): string {
	const tree = parser.parse(source);
	const list = statements(tree.topNode);
	if (list.length === 1 && list[0].name === 'ExpressionStatement' && !hasError(tree)) {
		const expression = list[0].firstChild;
		if (expression) {
			return `${source.slice(0, expression.from)}return (${source.slice(expression.from, expression.to)}\n)${source.slice(expression.to)}`;
		}
	}
	if (list.length >= 1 && list[0].name === 'Block') {
		singleExpression ??= parser.configure({ top: 'SingleExpression' });
		if (!hasError(singleExpression.parse(`(${source}\n)`))) return `return (${source}\n)`;
	}
	return source;
}

/**
 * Runs in the worker after the cell function is defined: waits for the inputs, calls the cell and
 * posts exactly one `{ type: 'value' }` or `{ type: 'error' }` message. Line numbers of errors
 * are read from the stack frames that point into this very script (the blob: URL).
 */
const RUNNER = `
;(() => {
	const post = self.postMessage.bind(self);
	const here = String(self.location && self.location.href);
	const offset = ${SCRIPT_LINE_OFFSET};
	const lines = __LINES__;
	const names = __NAMES__;
	const where = (error) => {
		const stack = error !== null && typeof error === 'object' && typeof error.stack === 'string' ? error.stack : '';
		for (const frame of stack.split('\\n')) {
			const at = frame.lastIndexOf(here + ':');
			if (at < 0) continue;
			const m = /^:(\\d+):(\\d+)/.exec(frame.slice(at + here.length));
			if (!m) continue;
			const line = Number(m[1]) - offset;
			if (line >= 1 && line <= lines) return { line, column: Number(m[2]) };
		}
		return {};
	};
	const describe = (error) => {
		if (error !== null && typeof error === 'object' && 'message' in error) {
			let name = 'Error';
			try { name = String(error.name || 'Error'); } catch {}
			return { name, message: String(error.message), ...where(error) };
		}
		let text;
		try { text = typeof error === 'string' ? error : JSON.stringify(error); } catch {}
		return { name: 'Error', message: text === undefined ? String(error) : text };
	};
	const kind = (value) => {
		if (typeof value === 'function') return 'a function';
		if (typeof value === 'symbol') return 'a symbol';
		return 'a value that contains a function, symbol, DOM object or other uncloneable part';
	};
	self.onmessage = (event) => {
		self.onmessage = null;
		const inputs = event.data || {};
		let result;
		try {
			result = ${CELL_FUNCTION}(...names.map((name) => inputs[name]));
		} catch (error) {
			post({ type: 'error', ...describe(error) });
			return;
		}
		result.then(
			(value) => {
				try {
					post({ type: 'value', value });
				} catch (error) {
					post({ type: 'unclonable', message: 'the cell returned ' + kind(value) + ', which cannot leave the sandbox (' + String(error && error.message) + '); return plain data: numbers, strings, arrays, plain objects, Dates, Maps, Sets, typed arrays' });
				}
			},
			(error) => {
				try {
					post({ type: 'error', ...describe(error) });
				} catch {
					post({ type: 'error', name: 'Error', message: String(error) });
				}
			}
		);
	};
})();
`;

/** The complete worker script: the cell as an async function of its inputs, then the runner. */
export function workerScript(source: string, names: readonly string[]): string {
	for (const name of names) {
		if (!isInputName(name)) throw new Error(`"${name}" cannot be an input of a JavaScript cell: it is not a plain identifier`);
	}
	const lines = source.split('\n').length;
	const header = `async function ${CELL_FUNCTION}(${names.join(', ')}) {`;
	if (header.includes('\n') || SCRIPT_LINE_OFFSET !== 1) throw new Error('the header must be one line');
	const runner = RUNNER.replace('__LINES__', String(lines)).replace('__NAMES__', JSON.stringify(names));
	return `${header}\n${functionBody(source)}\n}\n${runner}`;
}
