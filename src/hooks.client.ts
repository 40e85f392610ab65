/**
 * Client start-up. Zod 4 probes whether it may compile validators with `Function('')`; the app's
 * Content-Security-Policy has no 'unsafe-eval', so the probe is refused and reported as a
 * violation on every page that parses a contract. Jitless, zod validates without compiling.
 */
import { config } from 'zod';

config({ jitless: true });
