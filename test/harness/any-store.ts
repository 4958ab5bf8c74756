/**
 * Runs Engagement Score and Modify Engagement Score through n8n-core on any of the three stores
 * (an SQLite file, one workflow's static data, a real redis-server), and reads back what they
 * wrote straight from the store, for tests that assert the same behaviour on every store.
 */
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { EngagementScore } from '../../nodes/EngagementScore/EngagementScore.node';
import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import type { ScoreStore } from '../../src/store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';
import { SqliteStore } from '../../src/stores/sqlite/sqlite-store';
import type { RedisTestServer } from '../helpers/redis-server';
import { ENGAGEMENT_SCORE_TYPE } from './engagement-score-nodes';
import { credentialReference, credentialTypes, MODIFY_TYPE, otherProcessStore, redisCredential } from './redis-nodes';
import type { HarnessCredential, HarnessNode, WorkflowRun } from './run-workflow';
import { runWorkflow } from './run-workflow';

export { ENGAGEMENT_SCORE_TYPE, MODIFY_TYPE };

export type StoreName = 'sqlite' | 'workflowStaticData' | 'redis';

export interface AnyStore {
	readonly name: StoreName;
	/** The Store parameters a node needs for this store. */
	readonly parameters: IDataObject;
	readonly credential?: HarnessCredential;
	readonly staticData?: IDataObject;
	/** Reads the store directly (another connection for Redis); closes it afterwards. */
	read<T>(use: (store: ScoreStore) => Promise<T>): Promise<T>;
}

let prefixes = 0;

/** A fresh store: a new SQLite file in `folder`, new static data, or a new key prefix on `redis`. */
export function freshStore(name: StoreName, folder: string, redis?: RedisTestServer): AnyStore {
	if (name === 'sqlite') {
		const databasePath = join(folder, `scores-${++prefixes}.sqlite`);
		return {
			name,
			parameters: { store: 'sqlite', databasePath },
			read: async (use) => await use(SqliteStore.open(databasePath)),
		};
	}
	if (name === 'workflowStaticData') {
		// The nodes keep their data in the workflow's global static data (getWorkflowStaticData('global')).
		const global: IDataObject = {};
		return {
			name,
			parameters: { store: 'workflowStaticData' },
			staticData: { global },
			read: async (use) => await use(new StaticDataStore(global)),
		};
	}
	if (!redis) throw new Error('a Redis store needs a RedisTestServer');
	const credential = redisCredential(redis, { keyPrefix: `any-store-${process.pid}-${++prefixes}:` });
	return {
		name,
		parameters: { store: 'redis' },
		credential,
		read: async (use) => {
			const store = otherProcessStore(credential);
			try {
				return await use(store);
			} finally {
				await store.close();
			}
		},
	};
}

const nodeTypes = { [ENGAGEMENT_SCORE_TYPE]: new EngagementScore(), [MODIFY_TYPE]: new ModifyEngagementScore() };
const NODE_NAME = 'Node';

export interface AnyStoreRun extends WorkflowRun {
	/** The node's first (success) output. */
	items: INodeExecutionData[];
	json: IDataObject[];
	/** The node's second output: the error output of "On Error → Continue (using error output)". */
	errorItems: INodeExecutionData[];
}

/** Runs Start -> one of our nodes on `store` (static data as a production execution, the only kind n8n saves). */
export async function runOn(
	store: AnyStore,
	type: string,
	parameters: IDataObject,
	items: INodeExecutionData[] = [{ json: {} }],
	node: Partial<HarnessNode> = {},
): Promise<AnyStoreRun> {
	const run = await runWorkflow({
		nodeTypes,
		nodes: [
			{
				name: NODE_NAME,
				type,
				typeVersion: 1,
				...(store.credential ? { credentials: credentialReference(store.credential) } : {}),
				...node,
				parameters: { ...store.parameters, ...parameters },
			},
		],
		items,
		...(store.credential ? { credentials: [store.credential], credentialTypes } : {}),
		...(store.staticData ? { staticData: store.staticData, mode: 'trigger' as const } : {}),
	});
	const outputs = run.outputs[NODE_NAME] ?? [];
	const output = outputs[0] ?? [];
	return Object.assign(run, { items: output, json: output.map((item) => item.json), errorItems: outputs[1] ?? [] });
}

/** Profile > Create, published unless told otherwise; fails the test on error. */
export async function createProfileOn(store: AnyStore, id: string, rules: unknown[], publish = true): Promise<void> {
	const run = await runOn(store, ENGAGEMENT_SCORE_TYPE, {
		resource: 'profile',
		operation: 'create',
		name: id,
		newProfileId: id,
		rulesSource: 'json',
		rulesJson: JSON.stringify(rules),
		publish,
	});
	if (run.error) throw run.error;
}

/** Every contact of the profile with its score and the sum of its history's deltas. */
export async function scoresAndHistorySums(
	store: AnyStore,
	profileId: string,
): Promise<Array<{ contactId: string; score: number; historySum: number; changes: number }>> {
	return await store.read(async (direct) => {
		const contacts = await direct.listContacts(profileId, { order: 'desc', limit: 100_000, offset: 0 });
		const result = [];
		for (const contact of contacts) {
			const history = await direct.getHistory(profileId, contact.contactId, 1_000_000);
			const historySum = history.reduce((sum, change) => sum + change.delta, 0);
			result.push({ contactId: contact.contactId, score: contact.score, historySum: Math.round(historySum * 1e6) / 1e6, changes: history.length });
		}
		return result;
	});
}
