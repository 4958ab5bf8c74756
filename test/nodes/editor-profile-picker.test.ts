/**
 * The profile picker as n8n's editor drives it: the editor only asks for the list when the
 * picker says it can do without a credential, and then calls the node's list search.
 */
import type { INodeListSearchResult, INodeProperties, INodeType } from 'n8n-workflow';

import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';
import { REDIS_CREDENTIAL_MISSING } from '../../nodes/shared/profile';
import { callNodeMethod } from '../harness/run-workflow';
import { createProfile, ENGAGEMENT_SCORE_TYPE, nodeTypes, sqliteStoreIn, tempFolder } from '../harness/engagement-score-nodes';

const folder = tempFolder();
afterAll(() => folder.cleanup());

const engagementScore = (nodeTypes[ENGAGEMENT_SCORE_TYPE] as { getNodeType(version: number): INodeType }).getNodeType(1);
const nodes: Array<[string, INodeType]> = [
	['Engagement Score', engagementScore],
	['Modify Engagement Score', new ModifyEngagementScore()],
	['Engagement Score Trigger', new EngagementScoreTrigger()],
];

describe.each(nodes)('%s: the profile picker', (_, nodeType) => {
	const pickers = nodeType.description.properties.filter((property) => property.type === 'resourceLocator');

	test('lists from the store without a credential, although the node declares one for Redis', () => {
		// The editor's check (ResourceLocator.vue, n8n 2.41): a node with credentials declared and
		// none set gets "Add your credential" instead of the list, unless the list mode skips it.
		expect(nodeType.description.credentials?.length).toBeGreaterThan(0);
		expect(pickers.length).toBeGreaterThan(0);
		for (const picker of pickers) {
			const listMode = (picker as INodeProperties).modes?.find((mode) => mode.type === 'list');
			expect(listMode?.typeOptions?.skipCredentialsCheckInRLC).toBe(true);
		}
	});
});

test('the picker lists the SQLite store profiles for a node with no credential set', async () => {
	const store = sqliteStoreIn(folder.path, 'picker.sqlite');
	await createProfile(store, { id: 'lead-score', name: 'Lead Score', rules: [] });
	const result = await callNodeMethod<INodeListSearchResult>({
		nodeTypes: { 'n8n-nodes-engagement-score.modifyEngagementScore': new ModifyEngagementScore() },
		node: {
			name: 'Modify',
			type: 'n8n-nodes-engagement-score.modifyEngagementScore',
			typeVersion: 1,
			parameters: { store: 'sqlite', databasePath: store.kind === 'sqlite' ? store.databasePath : '' },
		},
		kind: 'listSearch',
		method: 'searchProfiles',
	});
	expect(result.results).toEqual([{ name: 'Lead Score (published v1)', value: 'lead-score', description: undefined }]);
});

test('on Redis without a credential the picker says which credential to select', async () => {
	const listing = callNodeMethod<INodeListSearchResult>({
		nodeTypes,
		node: {
			name: 'Score',
			type: ENGAGEMENT_SCORE_TYPE,
			typeVersion: 1,
			parameters: { store: 'redis', resource: 'event', operation: 'score' },
		},
		kind: 'listSearch',
		method: 'searchProfiles',
	});
	await expect(listing).rejects.toThrow(REDIS_CREDENTIAL_MISSING);
});
