import type {
	IDataObject,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { EngagementScoreError, firing, InvalidInputError, ProfileNotFoundError, startExpiryTimer, type ConsumerFeed, type ExpiryTimer, type FeedStart, type FiringMode, type Rule, type ScoreChange, type ScoreConditionSet, type ScoreProfile, type ScoreStore } from '../../src/index';
import { engineFor } from '../shared/engine';
import { fieldLabel, labelsOf } from '../shared/item-errors';
import { nodeStoreSettings } from '../shared/node-store';
import { profileIdFrom, profileLocatorProperty, searchProfiles, PROFILE_PARAMETER } from '../shared/profile';
import { REDIS_CREDENTIAL_TEST, redisCredentialDescription, testRedisCredential } from '../shared/redis';
import { openStore, storeProperties, type StoreSettings } from '../shared/store';
import { engagementScoreTriggerSubtitle } from '../shared/subtitles';
import { conditionProperties, conditionSetFrom } from './condition-input';
import { firingItem } from './firing-output';

const DEFAULT_POLL_INTERVAL_SECONDS = 1;
const MAX_CHANGES_PER_EXECUTION = 10_000;
/** About how many changes one read of the change log takes when each change is its own execution. */
const CHANGES_PER_READ = 100;

export const ENGAGEMENT_SCORE_TRIGGER_NAME = 'engagementScoreChangeTrigger';

const properties: INodeProperties[] = [
	profileLocatorProperty({ description: 'The score profile whose scores to watch' }),
	...conditionProperties,
	{
		displayName: 'Fire',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'When the Score Enters the Condition',
				value: 'enter',
				description:
					'Once when a contact starts meeting the conditions; again only after it stopped meeting them and meets them once more',
			},
			{
				name: 'On Every Change While the Condition Holds',
				value: 'everyChange',
				description: 'On every score change of a contact that meets the conditions after the change',
			},
		],
		default: 'enter',
		description: 'When a score change that meets the conditions starts the workflow',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Recalculations',
				name: 'includeRecalculations',
				type: 'boolean',
				default: true,
				description:
					'Whether a score changed by recalculating it from the recorded events when rules are published fires too, like any other change',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.1 },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				description:
					'SQLite store: how often to look for score changes made outside this n8n process (changes made in this process wake the trigger at once). The Redis store delivers every change at once through its Stream and does not poll.',
			},
			{
				displayName: 'Max Changes per Execution',
				name: 'maxChangesPerExecution',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CHANGES_PER_EXECUTION, numberPrecision: 0 },
				default: 100,
				description:
					'Emit the firing changes found together, up to this many items in one execution, instead of one execution per change. For large streams of changes: n8n runs only some executions per second, while a step after the trigger handles many items at once.',
			},
		],
	},
	...storeProperties({ allowStaticData: false }),
];

/** Activation errors name a field by the label the editor shows, as the other nodes' item errors do. */
const FIELD_LABELS = labelsOf(properties);

export class EngagementScoreTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Engagement Score Trigger',
		// Not "engagementScoreTrigger": n8n's node creator merges a trigger named like a node plus
		// "Trigger" into that node's row (generateMergedNodesAndActions), which hid this node's own
		// name and description. Saved workflows of that type run on LegacyEngagementScoreTrigger.
		name: ENGAGEMENT_SCORE_TRIGGER_NAME,
		icon: { light: 'file:engagementScoreTrigger.svg', dark: 'file:engagementScoreTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: engagementScoreTriggerSubtitle,
		description: "Starts the workflow when a contact's engagement score meets your conditions",
		defaults: { name: 'Engagement Score Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [redisCredentialDescription],
		properties,
	};

	methods = {
		listSearch: { searchProfiles },
		credentialTest: { [REDIS_CREDENTIAL_TEST]: testRedisCredential },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		let settings: StoreSettings;
		try {
			settings = await triggerStoreSettings(this);
		} catch (error) {
			throw activationError(this, error);
		}
		const store = openStore(settings);
		try {
			return await watch(this, store);
		} catch (error) {
			await store.close();
			throw activationError(this, error);
		}
	}
}

/** Static data is no choice here (see the Store description): anything but Redis means the SQLite file. */
async function triggerStoreSettings(context: ITriggerFunctions): Promise<StoreSettings> {
	const kind = context.getNodeParameter('store', 'sqlite') === 'redis' ? 'redis' : 'sqlite';
	return await nodeStoreSettings(context, kind, context.getNodeParameter('databasePath', ''));
}

async function watch(context: ITriggerFunctions, store: ScoreStore): Promise<ITriggerResponse> {
	const profile = await existingProfile(context, store);
	const profileId = profile.id;
	const conditionSet = conditionSetOf(context);
	const mode = context.getNodeParameter('mode', 'enter') as FiringMode;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const pollIntervalMs = pollIntervalOf(options.pollIntervalSeconds);
	const perExecution = changesPerExecutionOf(options.maxChangesPerExecution);
	// A failed read is retried from the same position (cursor or consumer group); say so in n8n's log.
	const onError = (error: unknown) =>
		context.logger.warn(`Engagement Score Trigger could not read score changes, retrying: ${String(error)}`);
	const rules = new PublishedRules(store, profileId);
	rules.remember(profile);
	const includeRecalculations = options.includeRecalculations !== false;
	const firingItems = async (changes: readonly ScoreChange[]) => {
		const firings = changes.filter(
			(change) => (includeRecalculations || change.cause.kind !== 'recalculation') && firing(change, conditionSet, mode),
		);
		const items = [];
		for (const change of firings) items.push(firingItem(change, await rules.thatScored(change), conditionSet));
		return items;
	};
	// Reads a whole number of executions' worth, so a burst of changes that all fire becomes
	// ceil(count / perExecution) executions however the reads split it.
	const batchSize = perExecution * Math.max(1, Math.floor(CHANGES_PER_READ / perExecution));
	const openFeed = (consumerId: string, startAt: FeedStart, onChanges: (changes: ScoreChange[]) => void) =>
		store.openFeed(profileId, consumerId, startAt, onChanges, { pollIntervalMs, batchSize, onError });
	const emitExecution = (items: IDataObject[]) => context.emit([context.helpers.returnJsonArray(items)]);

	// Points that run out are applied here too, so a drop fires with no workflow touching the profile.
	const applyExpiries = () =>
		startExpiryTimer(engineFor(store), profileId, pollIntervalMs, (error) =>
			context.logger.warn(`Engagement Score Trigger could not apply expired points, retrying: ${String(error)}`),
		);

	// One consumer per trigger node of a workflow: several workflows watching one profile each
	// see every change, and a re-activation resumes where the last one stopped.
	const consumerId = `trigger:${context.getWorkflow().id ?? 'unsaved'}:${context.getNode().id}`;

	if (context.getMode() !== 'manual') {
		const feed = openFeed(consumerId, 'resume', async (changes) => {
			// By default one execution per firing, as a contact entering a workflow is one run of it.
			// context.emit is read at call time: n8n replaces it after trigger() returns.
			const items = await firingItems(changes);
			for (let start = 0; start < items.length; start += perExecution) emitExecution(items.slice(start, start + perExecution));
		});
		await feed.start();
		return { closeFunction: closing(feed, store, applyExpiries()) };
	}

	// Listening in the editor: a consumer of its own, moved to "now" each time, so a test run waits
	// for the next firing change and neither replays old ones nor moves the production position.
	let emitted = false;
	const feed = openFeed(`${consumerId}:manual`, 'now', async (changes) => {
		if (emitted) return;
		const items = await firingItems(changes);
		if (emitted || items.length === 0) return;
		emitted = true;
		emitExecution(items.slice(0, perExecution));
	});
	const manualTriggerFunction = async () => await feed.start();
	return { closeFunction: closing(feed, store, applyExpiries()), manualTriggerFunction };
}

const NO_RULES: ReadonlyMap<string, Rule> = new Map();

/**
 * The published rules that scored a change, by id, for the descriptions of its matched rules. A
 * change names the published version that scored it; the store keeps only the profile's current
 * one, so each version is remembered from when this trigger first read it as current. A change of
 * a version it never saw (published and replaced while the trigger was off) gets no rules: its rule
 * ids are listed alone rather than with another version's descriptions.
 */
class PublishedRules {
	private readonly byVersion = new Map<number, ReadonlyMap<string, Rule>>();

	constructor(
		private readonly store: ScoreStore,
		private readonly profileId: string,
	) {}

	async thatScored(change: ScoreChange): Promise<ReadonlyMap<string, Rule>> {
		if (change.cause.kind !== 'event') return NO_RULES;
		const version = change.cause.profileVersion;
		// Logged before changes named their version: the current rules are the best there is.
		if (version === undefined) return await this.readCurrent();
		if (!this.byVersion.has(version)) await this.readCurrent();
		return this.byVersion.get(version) ?? NO_RULES;
	}

	/** Remembers the profile's current published rules (the trigger reads the profile when it starts). */
	remember(profile: ScoreProfile | undefined): ReadonlyMap<string, Rule> {
		const rules = new Map((profile?.publishedRules ?? []).map((rule) => [rule.id, rule]));
		if (profile?.publishedRules) this.byVersion.set(profile.version, rules);
		return rules;
	}

	private async readCurrent(): Promise<ReadonlyMap<string, Rule>> {
		return this.remember(await this.store.getProfile(this.profileId));
	}
}

function closing(feed: ConsumerFeed, store: ScoreStore, expiries: ExpiryTimer): () => Promise<void> {
	let closed = false;
	return async () => {
		if (closed) return;
		closed = true;
		await expiries.stop();
		await feed.stop();
		await store.close();
	};
}

/** @throws EngagementScoreError naming the profile field */
async function existingProfile(context: ITriggerFunctions, store: ScoreStore): Promise<ScoreProfile> {
	const profileId = profileIdFrom(context.getNodeParameter(PROFILE_PARAMETER, ''));
	const profile = await store.getProfile(profileId);
	if (!profile) throw new ProfileNotFoundError(profileId);
	return profile;
}

/** @throws EngagementScoreError naming the condition field, e.g. "conditions[1].operator" */
function conditionSetOf(context: ITriggerFunctions): ScoreConditionSet {
	return conditionSetFrom(context.getNodeParameter('combinator', 'and'), context.getNodeParameter('conditions', {}));
}

function pollIntervalOf(seconds: unknown): number {
	const value = seconds === undefined ? DEFAULT_POLL_INTERVAL_SECONDS : Number(seconds);
	if (!Number.isFinite(value) || value <= 0) {
		throw new InvalidInputError(`must be a positive number, got ${JSON.stringify(seconds)}`, 'pollIntervalSeconds');
	}
	return Math.round(value * 1000);
}

/** Without the option each change is an execution of its own. */
function changesPerExecutionOf(value: unknown): number {
	if (value === undefined) return 1;
	const count = Number(value);
	if (!Number.isInteger(count) || count < 1 || count > MAX_CHANGES_PER_EXECUTION) {
		throw new InvalidInputError(
			`must be a whole number from 1 to ${MAX_CHANGES_PER_EXECUTION}, got ${JSON.stringify(value)}`,
			'maxChangesPerExecution',
		);
	}
	return count;
}

/** What n8n shows when activation fails: "Conditions › conditions[0].operator: Unknown score operator ...". */
function activationError(context: ITriggerFunctions, error: unknown): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (!(error instanceof EngagementScoreError)) return new NodeOperationError(context.getNode(), error as Error);
	const message = error.field ? `${fieldLabel(error.field, FIELD_LABELS)}: ${error.message}` : error.message;
	const nodeError = new NodeOperationError(context.getNode(), error, { message });
	if (error.field) nodeError.context.field = error.field;
	return nodeError;
}
