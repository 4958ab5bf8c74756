/**
 * Our three nodes on the Redis store, run through n8n-core with a saved Redis credential the way
 * n8n hands it to them (see run-workflow's `credentials`). For the node tests over a real
 * redis-server (test/helpers/redis-server.ts).
 */
import { Redis } from 'ioredis';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { EngagementScoreRedisApi } from '../../credentials/EngagementScoreRedisApi.credentials';
import { EngagementScore } from '../../nodes/EngagementScore/EngagementScore.node';
import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import { redisConnectionSettings, REDIS_CREDENTIAL_TYPE } from '../../nodes/shared/redis';
import { RedisStore } from '../../src/stores/redis/redis-store';
import type { RedisTestServer } from '../helpers/redis-server';
import { ENGAGEMENT_SCORE_TYPE, PACKAGE, profileLocator } from './engagement-score-nodes';
import type { HarnessCredential, HarnessNode, WorkflowRun } from './run-workflow';
import { runWorkflow } from './run-workflow';

export { profileLocator };
export const MODIFY_TYPE = `${PACKAGE}.modifyEngagementScore`;
export const TRIGGER_TYPE = `${PACKAGE}.engagementScoreChangeTrigger`;

export const redisNodeTypes = {
	[ENGAGEMENT_SCORE_TYPE]: new EngagementScore(),
	[MODIFY_TYPE]: new ModifyEngagementScore(),
};
export const credentialTypes = [new EngagementScoreRedisApi()];

/** A saved Redis credential pointing at the test server; `data` overrides (e.g. a wrong password). */
export function redisCredential(server: RedisTestServer, data: IDataObject = {}, id = 'redis-1'): HarnessCredential {
	return {
		id,
		name: `Redis ${id}`,
		type: REDIS_CREDENTIAL_TYPE,
		data: { host: server.host, port: server.port, ...data },
	};
}

/** What a workflow node holds to reference the credential. */
export function credentialReference(credential: HarnessCredential): HarnessNode['credentials'] {
	return { [REDIS_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
}

/**
 * The same Redis data seen from "another n8n process": its own ioredis connection, and a
 * `location` unlike the nodes' store, so its writes wake no change feed of this process in memory
 * (only the Stream tells the trigger). Close it with `close()`.
 */
export function otherProcessStore(credential: HarnessCredential): RedisStore & { close(): Promise<void> } {
	const settings = redisConnectionSettings(credential.data);
	const client = new Redis({ host: settings.host, port: settings.port, password: settings.password, db: settings.database });
	return new RedisStore(client, {
		keyPrefix: settings.keyPrefix,
		location: `another-process:${settings.host}:${settings.port}`,
		onClose: async () => {
			client.disconnect();
		},
	});
}

export interface NodeRun extends WorkflowRun {
	json: IDataObject[];
	items: INodeExecutionData[];
}

const NODE_NAME = 'Node';

/** Runs Start -> one of our nodes on the Redis store of `credential`. */
export async function runRedisNode(
	type: string,
	credential: HarnessCredential,
	parameters: IDataObject,
	items: INodeExecutionData[] = [{ json: {} }],
	node: Partial<HarnessNode> = {},
): Promise<NodeRun> {
	const run = await runWorkflow({
		nodeTypes: redisNodeTypes,
		nodes: [
			{
				name: NODE_NAME,
				type,
				typeVersion: 1,
				credentials: credentialReference(credential),
				...node,
				parameters: { store: 'redis', ...parameters },
			},
		],
		items,
		credentials: [credential],
		credentialTypes,
	});
	const output = run.output(NODE_NAME);
	return Object.assign(run, { items: output, json: output.map((item) => item.json) });
}

export async function runEngagementScoreOnRedis(
	credential: HarnessCredential,
	parameters: IDataObject,
	items?: INodeExecutionData[],
	node?: Partial<HarnessNode>,
): Promise<NodeRun> {
	return await runRedisNode(ENGAGEMENT_SCORE_TYPE, credential, parameters, items, node);
}

/** Profile > Create (published unless told otherwise), failing the test on error. */
export async function createRedisProfile(
	credential: HarnessCredential,
	profile: { id: string; rules: unknown[]; publish?: boolean },
): Promise<IDataObject> {
	const run = await runEngagementScoreOnRedis(credential, {
		resource: 'profile',
		operation: 'create',
		name: profile.id,
		newProfileId: profile.id,
		rulesSource: 'json',
		rulesJson: JSON.stringify(profile.rules),
		publish: profile.publish ?? true,
	});
	if (run.error) throw run.error;
	return run.json[0];
}

/** Event > Score with the events as item JSON ({ id?, contactId, type, properties?, occurredAt? }). */
export async function scoreOnRedis(
	credential: HarnessCredential,
	profileId: string,
	events: IDataObject[],
	node?: Partial<HarnessNode>,
): Promise<NodeRun> {
	return await runEngagementScoreOnRedis(
		credential,
		{ resource: 'event', operation: 'score', profileId: profileLocator(profileId), mapping: 'autoMap' },
		events.map((json) => ({ json })),
		node,
	);
}

export { EngagementScoreTrigger };
