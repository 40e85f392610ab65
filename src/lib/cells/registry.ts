import { CellKinds } from '#lib/cells/core/kinds.ts';
import { markdownKind } from '#lib/cells/markdown/kind.ts';
import { sqlKind } from '#lib/cells/sql/kind.ts';
import { jsKind } from '#lib/cells/js/kind.ts';
import { chartKind } from '#lib/cells/chart/kind.ts';
import { inputKind } from '#lib/cells/input/kind.ts';
import { dataKind } from '#lib/cells/data/kind.ts';
import { modelKind } from '#lib/cells/model/kind.ts';
import { driftKind } from '#lib/cells/drift/kind.ts';
import { abKind } from '#lib/cells/ab/kind.ts';
import { championKind } from '#lib/cells/champion/kind.ts';
import { powerKind } from '#lib/cells/power/kind.ts';
import { performanceKind } from '#lib/cells/performance/kind.ts';
import { multivariateKind } from '#lib/cells/multivariate/kind.ts';
import { qualityKind } from '#lib/cells/quality/kind.ts';

/** Every cell kind, once; the order is the "New cell" menu's. Adding a kind: its folder and one entry here. */
export const CELL_KINDS = new CellKinds([
	markdownKind,
	sqlKind,
	jsKind,
	chartKind,
	inputKind,
	dataKind,
	modelKind,
	driftKind,
	abKind,
	championKind,
	powerKind,
	performanceKind,
	multivariateKind,
	qualityKind
]);
