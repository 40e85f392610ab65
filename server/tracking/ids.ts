import { randomBytes, randomInt } from 'node:crypto';

/** A run id: 32 lower-case hex digits, like MLflow's uuid4().hex. */
export function newRunId(): string {
	return randomBytes(16).toString('hex');
}

/** A logged model id: "m-" and 32 hex digits, as MLflow 3 makes them. */
export function newModelId(): string {
	return `m-${randomBytes(16).toString('hex')}`;
}

const ADJECTIVES = [
	'amber',
	'bold',
	'brisk',
	'calm',
	'clever',
	'dapper',
	'eager',
	'gentle',
	'keen',
	'lucid',
	'merry',
	'nimble',
	'quiet',
	'rare',
	'steady',
	'swift',
	'tidy',
	'vivid',
	'wise',
	'zesty'
];
const NOUNS = [
	'badger',
	'crane',
	'dolphin',
	'falcon',
	'gecko',
	'heron',
	'ibex',
	'lynx',
	'marten',
	'newt',
	'otter',
	'panda',
	'quail',
	'raven',
	'seal',
	'tapir',
	'viper',
	'walrus',
	'yak',
	'zebra'
];

/** A readable name for a run or logged model created without one, like MLflow's "brisk-otter-42". */
export function randomName(): string {
	return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
