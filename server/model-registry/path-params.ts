import { z } from 'zod';

/** Path parameters of driftbook's own /registry routes (alias history, lineage). */

export const modelName = z.string().min(1, 'must not be empty').max(500);
export const aliasName = z.string().regex(/^[\w-]{1,255}$/, 'expected an alias name (letters, digits, _ and -)');
export const versionNumber = z.string().regex(/^[1-9]\d{0,8}$/, 'expected a version number');
