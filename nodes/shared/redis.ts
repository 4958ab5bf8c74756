import { Redis, type RedisOptions } from 'ioredis';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialDescription,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { DEFAULT_EVENT_ID_RETENTION_DAYS, DEFAULT_KEY_PREFIX, EngagementScoreError, RedisGroupFeed, RedisStore, StoreUnavailableError, type RedisArgument, type RedisCommandClient, type RedisCommandPipeline, type RedisGroupFeedOptions, type ScoreChange } from '../../src/index';

export const REDIS_CREDENTIAL_TYPE = 'engagementScoreRedisApi';
/** Register `testRedisCredential` under `methods.credentialTest` with this name. */
export const REDIS_CREDENTIAL_TEST = 'engagementScoreRedisConnectionTest';

/** The store choice for the Store parameter. */
export const REDIS_STORE_OPTION = {
	name: 'Redis (Queue Mode, Several Instances)',
	value: 'redis',
	description:
		'A Redis server shared by every n8n process: the choice for queue mode with workers or several n8n instances. Needs a Redis credential.',
};

/** The node's `credentials` entry: asked for only when the Redis store is chosen. */
export const redisCredentialDescription: INodeCredentialDescription = {
	name: REDIS_CREDENTIAL_TYPE,
	required: true,
	testedBy: REDIS_CREDENTIAL_TEST,
	displayOptions: { show: { store: ['redis'] } },
};

export interface RedisConnectionSettings {
	readonly host: string;
	readonly port: number;
	readonly database: number;
	readonly user?: string;
	readonly password?: string;
	readonly tls: boolean;
	readonly ignoreTlsErrors: boolean;
	readonly keyPrefix: string;
	readonly eventIdRetentionDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CONNECT_TIMEOUT_MS = 5_000;
/** An unused connection is closed after this long, so that executions in a row share one. */
const IDLE_CLOSE_MS = 60_000;

export function redisConnectionSettings(credentials: ICredentialDataDecryptedObject): RedisConnectionSettings {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const number = (value: unknown, fallback: number) => {
		const parsed = typeof value === 'number' ? value : Number(value);
		return Number.isFinite(parsed) ? parsed : fallback;
	};
	const retentionDays = number(credentials.eventIdRetentionDays, DEFAULT_EVENT_ID_RETENTION_DAYS);
	return {
		host: text(credentials.host) || 'localhost',
		port: number(credentials.port, 6379),
		database: number(credentials.database, 0),
		user: text(credentials.user) || undefined,
		password: typeof credentials.password === 'string' && credentials.password !== '' ? credentials.password : undefined,
		tls: credentials.tls === true,
		ignoreTlsErrors: credentials.ignoreTlsErrors === true,
		keyPrefix: typeof credentials.keyPrefix === 'string' && credentials.keyPrefix !== '' ? credentials.keyPrefix : DEFAULT_KEY_PREFIX,
		eventIdRetentionDays: retentionDays > 0 ? retentionDays : DEFAULT_EVENT_ID_RETENTION_DAYS,
	};
}

/**
 * The store over a connection shared by every node of this process with the same settings.
 * Synchronous: the connection is made by the first command, and a failure to connect surfaces
 * as StoreUnavailableError on that command, naming the server and the likely cause.
 */
export function openRedisStore(settings: RedisConnectionSettings): RedisStore {
	const connection = SharedConnection.acquire(settings);
	return new RedisStore(connection, {
		keyPrefix: settings.keyPrefix,
		eventIdRetentionMs: settings.eventIdRetentionDays * DAY_MS,
		location: connection.location,
		onClose: async () => connection.release(),
		openGroupFeed: (store, profileId, group, startAt, onChanges, { batchSize, onError }) =>
			openRedisGroupFeed(settings, store, profileId, group, onChanges, { startAt, batchSize, onError }),
	});
}

/**
 * For the trigger: the profile's change log read through the consumer group `group`, over a
 * connection of its own (its blocking read holds it). While Redis is away the connection
 * reconnects with backoff, every failed read is told to `onError`, and reading resumes from the
 * group as soon as the connection is back. start() connects; stop() also ends a blocking read.
 */
export function openRedisGroupFeed(
	settings: RedisConnectionSettings,
	store: RedisStore,
	profileId: string,
	group: string,
	onChanges: (changes: ScoreChange[]) => void | Promise<void>,
	options: RedisGroupFeedOptions = {},
): { start(): Promise<void>; stop(): Promise<void> } {
	const client = new Redis(clientOptions(settings));
	let lastError: Error | undefined;
	client.on('error', (error: Error) => {
		lastError = error;
	});
	const feed = new RedisGroupFeed(client, store, profileId, group, onChanges, {
		...options,
		onError: (error) => options.onError?.(describeFailure(error, settings, lastError)),
	});
	client.on('ready', () => {
		lastError = undefined;
		feed.retryNow();
	});
	return {
		async start() {
			try {
				if (client.status === 'wait' || client.status === 'end') await client.connect();
				await feed.start();
			} catch (error) {
				if (client.status !== 'end') client.disconnect();
				throw describeFailure(error, settings, lastError);
			}
		},
		async stop() {
			await feed.stop();
			if (client.status !== 'end') client.disconnect();
		},
	};
}

/** Closes every connection opened here (tests, shutdown). */
export async function closeRedisConnections(): Promise<void> {
	await SharedConnection.closeAll();
}

/** The credential test: connects with the credential's settings, authenticates and pings. */
export async function testRedisCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const settings = redisConnectionSettings(credential.data ?? {});
	const client = new Redis({ ...clientOptions(settings), retryStrategy: () => null });
	let lastError: Error | undefined;
	client.on('error', (error: Error) => {
		lastError = error;
	});
	try {
		await client.connect();
		await client.call('PING');
		const tooOld = await versionProblem(client, settings, lastError);
		if (tooOld) return { status: 'Error', message: tooOld.message };
		return { status: 'OK', message: `Connected to ${locationOf(settings)}` };
	} catch (error) {
		return { status: 'Error', message: describeFailure(error, settings, lastError).message };
	} finally {
		if (client.status !== 'end') client.disconnect();
	}
}

function clientOptions(settings: RedisConnectionSettings): RedisOptions {
	return {
		host: settings.host,
		port: settings.port,
		db: settings.database,
		username: settings.user,
		password: settings.password,
		tls: settings.tls ? { rejectUnauthorized: !settings.ignoreTlsErrors, servername: settings.host } : undefined,
		connectionName: 'n8n-nodes-engagement-score',
		lazyConnect: true,
		connectTimeout: CONNECT_TIMEOUT_MS,
		// Fail fast while Redis is away instead of queueing: the item gets a clear error now, and
		// the trigger retries on its own schedule.
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		// A script sent before a disconnect may have run: resending it could apply events twice.
		autoResendUnfulfilledCommands: false,
		retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 3_000),
	};
}

function locationOf(settings: RedisConnectionSettings): string {
	return `redis${settings.tls ? 's' : ''}://${settings.host}:${settings.port}/${settings.database}`;
}

/** One ioredis connection per distinct settings, counted by the stores using it. */
class SharedConnection implements RedisCommandClient {
	private static readonly connections = new Map<string, SharedConnection>();

	readonly location: string;
	private readonly client: Redis;
	private users = 0;
	private idleTimer?: NodeJS.Timeout;
	private lastError?: Error;
	/** The server's version was checked on the current connection. */
	private versionChecked = false;

	static acquire(settings: RedisConnectionSettings): SharedConnection {
		const id = JSON.stringify(settings);
		let connection = SharedConnection.connections.get(id);
		if (!connection) {
			connection = new SharedConnection(id, settings);
			SharedConnection.connections.set(id, connection);
		}
		connection.users++;
		clearTimeout(connection.idleTimer);
		return connection;
	}

	static async closeAll(): Promise<void> {
		const all = [...SharedConnection.connections.values()];
		SharedConnection.connections.clear();
		for (const connection of all) {
			clearTimeout(connection.idleTimer);
			if (connection.client.status !== 'end') connection.client.disconnect();
		}
	}

	private constructor(
		private readonly id: string,
		private readonly settings: RedisConnectionSettings,
	) {
		this.location = locationOf(settings);
		this.client = new Redis(clientOptions(settings));
		this.client.on('error', (error: Error) => {
			this.lastError = error;
			// A refused password will not start working by retrying: stop, and try again on the next call.
			if (isAuthFailure(error.message)) this.client.disconnect();
		});
		this.client.on('ready', () => {
			this.lastError = undefined;
			this.versionChecked = false;
		});
	}

	release(): void {
		this.users = Math.max(0, this.users - 1);
		if (this.users > 0) return;
		clearTimeout(this.idleTimer);
		this.idleTimer = setTimeout(() => {
			if (this.users > 0) return;
			if (SharedConnection.connections.get(this.id) === this) SharedConnection.connections.delete(this.id);
			this.client.disconnect();
		}, IDLE_CLOSE_MS);
		this.idleTimer.unref();
	}

	async call(command: string, ...args: RedisArgument[]): Promise<unknown> {
		await this.ready();
		try {
			return await this.client.call(command, ...args);
		} catch (error) {
			throw await this.failure(error);
		}
	}

	pipeline(): RedisCommandPipeline {
		return new DeferredPipeline(this, false);
	}

	multi(): RedisCommandPipeline {
		return new DeferredPipeline(this, true);
	}

	async execute(commands: ReadonlyArray<[string, RedisArgument[]]>, transaction: boolean) {
		await this.ready();
		const batch = transaction ? this.client.multi() : this.client.pipeline();
		for (const [command, args] of commands) batch.call(command, ...args);
		try {
			return (await batch.exec()) as Array<[Error | null, unknown]> | null;
		} catch (error) {
			throw await this.failure(error);
		}
	}

	/** The error to show for a failed command; a refusal for want of memory names Redis's figures. */
	private async failure(error: unknown): Promise<Error> {
		const memory = isOutOfMemory(error) ? await memoryFigures(this.client) : undefined;
		return describeFailure(error, this.settings, this.lastError, memory);
	}

	/** Connected, to a server the store's scripts run on (checked once per connection). */
	private async ready(): Promise<void> {
		await this.connected();
		if (this.versionChecked) return;
		const tooOld = await versionProblem(this.client, this.settings, this.lastError);
		if (tooOld) throw tooOld;
		this.versionChecked = true;
	}

	/** Connects on first use; while Redis is away, fails at once with the reason it is away. */
	private async connected(): Promise<void> {
		const status = this.client.status;
		if (status === 'ready') return;
		if (status === 'wait' || status === 'end' || status === 'close') {
			try {
				await this.client.connect();
			} catch (error) {
				throw describeFailure(error, this.settings, this.lastError);
			}
			return;
		}
		if (status === 'reconnecting') throw describeFailure(this.lastError ?? new Error('reconnecting'), this.settings, undefined);
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => finish(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
			const finish = (error?: Error) => {
				clearTimeout(timer);
				this.client.off('ready', onReady);
				this.client.off('error', onError);
				if (error) reject(describeFailure(error, this.settings, undefined));
				else resolve();
			};
			const onReady = () => finish();
			const onError = (error: Error) => finish(error);
			this.client.once('ready', onReady);
			this.client.once('error', onError);
		});
	}
}

/** Collects commands and sends them once the connection is ready (a pipeline cannot wait for it). */
class DeferredPipeline implements RedisCommandPipeline {
	private readonly commands: Array<[string, RedisArgument[]]> = [];

	constructor(
		private readonly connection: SharedConnection,
		private readonly transaction: boolean,
	) {}

	call(command: string, ...args: RedisArgument[]): this {
		this.commands.push([command, args]);
		return this;
	}

	exec(): Promise<Array<[Error | null, unknown]> | null> {
		return this.connection.execute(this.commands, this.transaction);
	}
}

function isAuthFailure(message: string): boolean {
	return /WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message);
}

/** The store's scripts declare flags (a `#!lua` first line, see redis-scripts.ts), which Redis parses from 7.0 on. */
const MINIMUM_REDIS_MAJOR = 7;

/**
 * The error for a server older than Redis 7.0, from its INFO; undefined for a newer one, or when
 * INFO is denied to the user (an ACL), in which case an old server's own error will show.
 */
async function versionProblem(
	client: Redis,
	settings: RedisConnectionSettings,
	lastError: Error | undefined,
): Promise<Error | undefined> {
	const info = await client.call('INFO', 'server').catch((error: unknown) => {
		if (/NOPERM/.test(messageOf(error))) return undefined;
		throw describeFailure(error, settings, lastError);
	});
	const version = typeof info === 'string' ? /^redis_version:(\S+)/m.exec(info)?.[1] : undefined;
	if (version === undefined || Number.parseInt(version, 10) >= MINIMUM_REDIS_MAJOR) return undefined;
	return new StoreUnavailableError(
		`Redis at ${settings.host}:${settings.port} is version ${version}; the Engagement Score store needs Redis ${MINIMUM_REDIS_MAJOR}.0 or later. Nothing was written.`,
		'credentials',
	);
}

/** A command, script or MULTI/EXEC refused because Redis is over maxmemory (ioredis puts a queued command's refusal in `previousErrors`). */
function isOutOfMemory(error: unknown): boolean {
	const refusals = [error, ...((error as { previousErrors?: unknown[] } | undefined)?.previousErrors ?? [])];
	return refusals.some((refusal) => /^OOM /.test(messageOf(refusal)));
}

/** "maxmemory 3.00M, used 3.06M" from INFO, or undefined if INFO cannot be read. */
async function memoryFigures(client: Redis): Promise<string | undefined> {
	const info = await client.call('INFO', 'memory').catch(() => undefined);
	if (typeof info !== 'string') return undefined;
	const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
	const [limit, used] = [field('maxmemory_human'), field('used_memory_human')];
	return limit && used ? `maxmemory ${limit}, used ${used}` : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Turns a connection, authentication or out-of-memory failure into an error that says what to check. */
function describeFailure(
	error: unknown,
	settings: RedisConnectionSettings,
	lastError: Error | undefined,
	memory?: string,
): Error {
	if (error instanceof EngagementScoreError) return error;
	const message = messageOf(error);
	const where = `Redis at ${settings.host}:${settings.port}`;
	if (isOutOfMemory(error)) {
		return new StoreUnavailableError(
			`${where} is out of memory (${memory ?? 'used memory is over maxmemory'}): nothing was written. Free memory or raise maxmemory.`,
			'store',
		);
	}
	const cause = lastError && lastError.message !== message ? `${message}; ${lastError.message}` : message;
	if (isAuthFailure(cause)) {
		return new StoreUnavailableError(
			`${where} refused the credential's user or password (${cause}). Nothing was written.`,
			'credentials',
		);
	}
	if (
		/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN|connect timed out|Connection is closed|Stream isn't writeable|reconnecting|max retries/i.test(
			cause,
		)
	) {
		return new StoreUnavailableError(
			`${where} is not reachable (${cause}). Check that Redis is running and the credential's host and port; events sent with an id can be sent again safely.`,
			'credentials',
		);
	}
	return error instanceof Error ? error : new Error(message);
}
