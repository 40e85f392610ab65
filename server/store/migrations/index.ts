import type { Migration } from './migration';
import { migration as init } from './001_init';
import { migration as mlflow } from './002_mlflow';
import { migration as team } from './003_team';
import { migration as datasets } from './004_datasets';
import { migration as sync } from './005_sync';
import { migration as lineage } from './006_lineage';
import { migration as reviews } from './007_reviews';
import { migration as serving } from './008_serving';
import { migration as webhooksMonitors } from './009_webhooks_monitors';
import { migration as monitorViews } from './010_monitor_views';
import { migration as monitorKinds } from './011_monitor_kinds';
import { migration as sealedWebhookSecrets } from './012_sealed_webhook_secrets';

export type { Migration };

/** Every migration, in the order applied. File `NNN_name.ts` holds version NNN. */
export const migrations: readonly Migration[] = [
	init,
	mlflow,
	team,
	datasets,
	sync,
	lineage,
	reviews,
	serving,
	webhooksMonitors,
	monitorViews,
	monitorKinds,
	sealedWebhookSecrets
];
