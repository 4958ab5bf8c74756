import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type ScoreStore } from '../../src/index';
import { failEveryItem } from './item-loop';
import { REDIS_CREDENTIAL_TYPE } from './redis';
import { openStore, storeSettings, type StoreSettings } from './store';

/** What every n8n context a node runs in (execute, trigger, load options) offers for credentials. */
export interface CredentialSource {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/**
 * The store settings of a node's Store parameters. The Redis credential is read only when Redis is
 * chosen: a node on SQLite or static data has no credential set, and asking n8n for one would fail.
 */
export async function nodeStoreSettings(
	context: CredentialSource,
	kind: unknown,
	databasePath: unknown,
): Promise<StoreSettings> {
	if (kind !== 'redis') return storeSettings(kind, databasePath);
	return storeSettings(kind, databasePath, await context.getCredentials(REDIS_CREDENTIAL_TYPE));
}

/**
 * Opens the store for one use (an execution, a profile search) and closes it afterwards: each
 * store then keeps its connection a little longer, so the next execution finds it open.
 */
export async function usingStore<T>(
	settings: StoreSettings,
	workflowStaticData: IDataObject | undefined,
	use: (store: ScoreStore) => Promise<T>,
): Promise<T> {
	const store = openStore(settings, workflowStaticData);
	try {
		return await use(store);
	} finally {
		await store.close();
	}
}

/**
 * Runs a node's items on the store its Store parameters choose. A store that cannot be opened (a
 * bad Database File, a missing credential) fails every item, each on its own: with On Error →
 * Continue each item carries the error (on the error output, if chosen) instead of passing through.
 */
export async function executeWithStore(
	context: IExecuteFunctions,
	use: (store: ScoreStore) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	let settings: StoreSettings;
	let store: ScoreStore;
	try {
		settings = await nodeStoreSettings(context, context.getNodeParameter('store', 0), context.getNodeParameter('databasePath', 0, ''));
		store = openStore(settings, settings.kind === 'workflowStaticData' ? context.getWorkflowStaticData('global') : undefined);
	} catch (error) {
		return failEveryItem(context, error);
	}
	try {
		return await use(store);
	} finally {
		if (settings.kind === 'redis') await store.close();
	}
}
