/**
 * Our nodes as a runWorkflow registry, under the type names n8n gives them once the package is
 * installed, plus small builders for their parameters. For node tests of all three nodes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { EngagementScore } from '../../nodes/EngagementScore/EngagementScore.node';
import type { HarnessNode, RunWorkflowOptions, WorkflowRun } from './run-workflow';
import { runWorkflow } from './run-workflow';

export const PACKAGE = 'n8n-nodes-engagement-score';
export const ENGAGEMENT_SCORE_TYPE = `${PACKAGE}.engagementScore`;

export const nodeTypes: RunWorkflowOptions['nodeTypes'] = {
	[ENGAGEMENT_SCORE_TYPE]: new EngagementScore(),
};

/** Where a test's workflows keep their scores: one SQLite file, or one workflow's static data. */
export type TestStore =
	| { readonly kind: 'sqlite'; readonly databasePath: string }
	| { readonly kind: 'workflowStaticData'; readonly staticData: IDataObject };

export function storeParameters(store: TestStore): IDataObject {
	return store.kind === 'sqlite'
		? { store: 'sqlite', databasePath: store.databasePath }
		: { store: 'workflowStaticData' };
}

/** A fresh temp folder, removed by `cleanup`. */
export function tempFolder(prefix = 'engagement-score-'): { path: string; cleanup: () => void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function sqliteStoreIn(folder: string, file = 'scores.sqlite'): TestStore {
	return { kind: 'sqlite', databasePath: join(folder, file) };
}

export function staticDataStore(): TestStore {
	return { kind: 'workflowStaticData', staticData: {} };
}

export function profileLocator(profileId: string): IDataObject {
	return { __rl: true, mode: 'id', value: profileId };
}

export interface EngagementScoreRun extends WorkflowRun {
	/** The JSON of the Engagement Score node's output items. */
	json: IDataObject[];
	items: INodeExecutionData[];
}

/**
 * Runs Start -> Engagement Score once, with the store's parameters merged into `parameters`.
 * Static-data stores run as production executions (the only ones whose static data n8n saves).
 */
export async function runEngagementScore(
	store: TestStore,
	parameters: IDataObject,
	items: INodeExecutionData[] = [{ json: {} }],
	node: Partial<HarnessNode> = {},
): Promise<EngagementScoreRun> {
	const run = await runWorkflow({
		nodeTypes,
		nodes: [
			{
				name: 'Engagement Score',
				type: ENGAGEMENT_SCORE_TYPE,
				typeVersion: 1,
				...node,
				parameters: { ...storeParameters(store), ...parameters },
			},
		],
		items,
		...(store.kind === 'workflowStaticData' ? { staticData: store.staticData, mode: 'trigger' as const } : {}),
	});
	const items_ = run.output('Engagement Score');
	return Object.assign(run, { items: items_, json: items_.map((item) => item.json) });
}

/** Creates and (by default) publishes a profile through the node, failing the test on error. */
export async function createProfile(
	store: TestStore,
	profile: { id: string; name?: string; rules: unknown[]; publish?: boolean },
): Promise<IDataObject> {
	const run = await runEngagementScore(store, {
		resource: 'profile',
		operation: 'create',
		name: profile.name ?? profile.id,
		newProfileId: profile.id,
		rulesSource: 'json',
		rulesJson: JSON.stringify(profile.rules),
		publish: profile.publish ?? true,
	});
	if (run.error) throw run.error;
	return run.json[0];
}

/** Scores events given as item JSON ({ contactId, type, properties?, occurredAt?, id? }). */
export async function scoreEvents(
	store: TestStore,
	profileId: string,
	events: IDataObject[],
	node: Partial<HarnessNode> = {},
): Promise<EngagementScoreRun> {
	return await runEngagementScore(
		store,
		{ resource: 'event', operation: 'score', profileId: profileLocator(profileId), mapping: 'autoMap' },
		events.map((json) => ({ json })),
		node,
	);
}

export async function contactScore(store: TestStore, profileId: string, contactId: string): Promise<unknown> {
	const run = await runEngagementScore(store, {
		resource: 'contact',
		operation: 'get',
		profileId: profileLocator(profileId),
		contactId,
	});
	if (run.error) throw run.error;
	return run.json[0].score;
}
