// `npm run -s driftbook -- <command> [options]`: the command line, sharing the app's libraries.
import { driftbook } from '#cli/driftbook.ts';

driftbook(process.argv.slice(2)).then((code) => {
	process.exitCode = code;
});
