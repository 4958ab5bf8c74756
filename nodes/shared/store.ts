import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject, INodeProperties } from 'n8n-workflow';

import { InvalidInputError, SqliteStore, StaticDataStore, type ScoreStore } from '../../src/index';
import { openRedisStore, REDIS_STORE_OPTION, redisConnectionSettings, type RedisConnectionSettings } from './redis';

export type StoreKind = 'sqlite' | 'workflowStaticData' | 'redis';

export interface StoreSettings {
	readonly kind: StoreKind;
	/** SQLite only: absolute, or relative to the n8n folder; empty for the default file. */
	readonly databasePath?: string;
	/** Redis only: from the node's engagementScoreRedisApi credential. */
	readonly redis?: RedisConnectionSettings;
}

export const DEFAULT_DATABASE_FILE = 'engagement-score.sqlite';

/** The `.n8n` folder n8n itself uses (N8N_USER_FOLDER or the home directory, plus `.n8n`). */
export function n8nFolder(): string {
	return join(process.env.N8N_USER_FOLDER ?? homedir(), '.n8n');
}

/** Kernel and device file systems: creating folders there can spin a synchronous mkdir for ever (/proc/self/x/y). */
const PSEUDO_FILE_SYSTEMS = /^\/(proc|sys|dev)(\/|$)/;

/** @throws InvalidInputError (field databasePath) for a path under /proc, /sys or /dev, before touching the file system */
export function resolveDatabasePath(databasePath?: string): string {
	if (!databasePath) return join(n8nFolder(), DEFAULT_DATABASE_FILE);
	const path = resolve(n8nFolder(), databasePath);
	if (PSEUDO_FILE_SYSTEMS.test(path)) {
		throw new InvalidInputError(`"${path}" is under /proc, /sys or /dev: choose a folder on a disk`, 'databasePath');
	}
	return path;
}

/**
 * Opens the store the node is configured for. SQLite connections are cached per file by
 * SqliteStore, so opening is cheap; static data lives in the workflow being executed.
 */
export function openStore(settings: StoreSettings, workflowStaticData?: IDataObject): ScoreStore {
	if (settings.kind === 'workflowStaticData') {
		if (!workflowStaticData) throw new Error('Workflow static data is not available here');
		return new StaticDataStore(workflowStaticData);
	}
	if (settings.kind === 'redis') {
		if (!settings.redis) throw new Error('The Redis store needs a Redis credential: select one in the node');
		return openRedisStore(settings.redis);
	}
	return SqliteStore.open(resolveDatabasePath(settings.databasePath));
}

export function storeProperties(options: { allowStaticData: boolean }): INodeProperties[] {
	const storeOptions = [
		{
			name: 'Embedded SQLite (Instance-Wide)',
			value: 'sqlite',
			description:
				'One SQLite file in the n8n folder, shared by every workflow of this n8n instance. Works in manual test runs.',
		},
	];
	storeOptions.push(REDIS_STORE_OPTION);
	if (options.allowStaticData) {
		storeOptions.push({
			name: 'Workflow Static Data',
			value: 'workflowStaticData',
			description:
				'Kept inside this workflow only. Saved by production (active) executions only, not by manual test runs. Use where no file can be written.',
		});
	}
	return [
		{
			displayName: 'Store',
			name: 'store',
			type: 'options',
			noDataExpression: true,
			options: storeOptions,
			default: 'sqlite',
			description: options.allowStaticData
				? 'Where profiles, scores and score history are kept. The default needs no setup.'
				: 'Where the watched scores are kept. The default needs no setup. Scores kept in workflow static data belong to one workflow and cannot be watched from another.',
		},
		{
			displayName: 'Database File',
			name: 'databasePath',
			type: 'string',
			default: '',
			placeholder: DEFAULT_DATABASE_FILE,
			description:
				'Path of the SQLite file, absolute or relative to the n8n folder. Leave empty for the default file shared by all nodes of this instance.',
			displayOptions: { show: { store: ['sqlite'] } },
		},
	];
}

/** `redisCredentials`: the node's engagementScoreRedisApi credential, needed when kind is 'redis'. */
export function storeSettings(
	kind: unknown,
	databasePath: unknown,
	redisCredentials?: ICredentialDataDecryptedObject,
): StoreSettings {
	if (kind === 'redis') {
		return { kind: 'redis', ...(redisCredentials ? { redis: redisConnectionSettings(redisCredentials) } : {}) };
	}
	return {
		kind: kind === 'workflowStaticData' ? 'workflowStaticData' : 'sqlite',
		databasePath: typeof databasePath === 'string' ? databasePath.trim() : undefined,
	};
}
