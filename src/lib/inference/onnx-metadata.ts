/**
 * What an ONNX file says about itself (producer, IR version, opsets), read from the top-level
 * fields of its ModelProto without decoding the graph. onnxruntime does not expose opsets, and
 * a file that does not parse as a ModelProto gets a clear error before any session is made.
 */
export interface OnnxMetadata {
	irVersion: number;
	producer: string;
	/** Operator sets the graph imports: '' is the default ai.onnx domain. */
	opsets: Array<{ domain: string; version: number }>;
}

class Reader {
	offset = 0;
	constructor(readonly bytes: Uint8Array) {}

	get done() {
		return this.offset >= this.bytes.length;
	}

	varint(): number {
		let result = 0;
		let scale = 1;
		for (let i = 0; i < 10; i++) {
			if (this.offset >= this.bytes.length) throw new Error('truncated varint');
			const byte = this.bytes[this.offset++];
			result += (byte & 0x7f) * scale;
			if (byte < 0x80) return result;
			scale *= 128;
		}
		throw new Error('varint longer than 10 bytes');
	}

	bytesField(): Uint8Array {
		const length = this.varint();
		if (this.offset + length > this.bytes.length) throw new Error('field runs past the end of the file');
		const out = this.bytes.subarray(this.offset, this.offset + length);
		this.offset += length;
		return out;
	}

	skip(wireType: number) {
		if (wireType === 0) this.varint();
		else if (wireType === 1) this.offset += 8;
		else if (wireType === 2) this.bytesField();
		else if (wireType === 5) this.offset += 4;
		else throw new Error(`unsupported protobuf wire type ${wireType}`);
		if (this.offset > this.bytes.length) throw new Error('field runs past the end of the file');
	}
}

const text = new TextDecoder();

function readOpset(bytes: Uint8Array) {
	const reader = new Reader(bytes);
	let domain = '';
	let version = 0;
	while (!reader.done) {
		const tag = reader.varint();
		if (tag === (1 << 3) + 2) domain = text.decode(reader.bytesField());
		else if (tag === (2 << 3) + 0) version = reader.varint();
		else reader.skip(tag & 7);
	}
	return { domain, version };
}

/** Throws `not an ONNX model` (with the reason) for anything that is not a ModelProto with a graph. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxMetadata {
	const reader = new Reader(bytes);
	const meta: OnnxMetadata = { irVersion: 0, producer: '', opsets: [] };
	let hasGraph = false;
	try {
		while (!reader.done) {
			const tag = reader.varint();
			const field = Math.floor(tag / 8);
			const wireType = tag & 7;
			if (field === 1 && wireType === 0) meta.irVersion = reader.varint();
			else if (field === 2 && wireType === 2) meta.producer = text.decode(reader.bytesField());
			else if (field === 7 && wireType === 2) {
				reader.bytesField();
				hasGraph = true;
			} else if (field === 8 && wireType === 2) meta.opsets.push(readOpset(reader.bytesField()));
			else if (field === 0 || field > 100) throw new Error(`unexpected field number ${field}`);
			else reader.skip(wireType);
		}
	} catch (error) {
		throw new Error(`not an ONNX model (${(error as Error).message} at byte ${reader.offset})`, { cause: error });
	}
	if (!hasGraph) throw new Error('not an ONNX model (no graph in the file)');
	if (meta.irVersion === 0) throw new Error('not an ONNX model (no IR version)');
	return meta;
}

/** The opset of the default domain, the one people quote. */
export function defaultOpset(meta: OnnxMetadata): number | undefined {
	return meta.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
}
