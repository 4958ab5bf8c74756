/**
 * What a user sees of the nodes in n8n's editor, computed the way the editor computes it with
 * n8n-workflow: the parameters a fresh node shows (defaults filled in, displayOptions applied), the
 * canvas subtitle (the description's expression over those parameters), and that the demo
 * workflows still set only parameters the nodes have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INode, INodeParameters, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { EngagementScore } from '../../nodes/EngagementScore/EngagementScore.node';
import { EngagementScoreTrigger } from '../../nodes/EngagementScoreTrigger/EngagementScoreTrigger.node';
import { ModifyEngagementScore } from '../../nodes/ModifyEngagementScore/ModifyEngagementScore.node';

const PACKAGE = 'n8n-nodes-engagement-score';
const registry: Record<string, INodeType | IVersionedNodeType> = {
	[`${PACKAGE}.engagementScore`]: new EngagementScore(),
	[`${PACKAGE}.modifyEngagementScore`]: new ModifyEngagementScore(),
	[`${PACKAGE}.engagementScoreChangeTrigger`]: new EngagementScoreTrigger(),
};
const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(registry[type], version),
	getKnownTypes: () => ({}),
};

function editorNode(name: string, parameters: INodeParameters, typeVersion?: number): INode {
	const type = `${PACKAGE}.${name}`;
	const versioned = registry[type];
	const version = typeVersion ?? (versioned.description.defaultVersion as number | undefined) ?? 1;
	const description = nodeTypes.getByNameAndVersion(type, version).description;
	const node: INode = { id: 'node-1', name, type, typeVersion: version, position: [0, 0], parameters };
	// As the editor does for a node on the canvas: every shown parameter with its default.
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return node;
}

function subtitleOf(node: INode): unknown {
	const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {});
}

function shownParameters(node: INode): string[] {
	const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
	return description.properties
		.filter((property) => NodeHelpers.displayParameter(node.parameters, property, node, description))
		.map((property) => property.name);
}

describe('canvas subtitles say what the node does', () => {
	test.each([
		[{}, 'Score event'],
		[{ resource: 'profile', operation: 'create' }, 'Create profile'],
		[{ resource: 'profile', operation: 'updateDraft' }, 'Update profile draft'],
		[{ resource: 'contact', operation: 'getMany' }, 'Get many contact scores'],
		[{ resource: 'contact', operation: 'getHistory' }, 'Get score history'],
		[{ resource: 'decay', operation: 'apply' }, 'Decay inactive contacts'],
	])('Engagement Score %j: "%s"', (parameters, subtitle) => {
		expect(subtitleOf(editorNode('engagementScore', parameters))).toBe(subtitle);
	});

	test.each([
		[{}, 'Add 1 point'],
		[{ operation: 'add', points: 10 }, 'Add 10 points'],
		[{ operation: 'subtract', points: 5 }, 'Subtract 5 points'],
		[{ operation: 'set', points: 20 }, 'Set score to 20'],
		[{ operation: 'add', points: '={{ $json.points }}' }, 'Add points'],
	])('Modify Engagement Score %j: "%s"', (parameters, subtitle) => {
		expect(subtitleOf(editorNode('modifyEngagementScore', parameters))).toBe(subtitle);
	});

	test.each([
		[{}, 'Score ≥ 50'],
		[{ conditions: { condition: [{ operator: 'lt', value: 10 }] }, mode: 'everyChange' }, 'Score < 10, on every change'],
		[
			{ conditions: { condition: [{ operator: 'between', value: 10, valueTo: 20 }, { operator: 'ne', value: 0 }] }, combinator: 'or' },
			'Score 10–20 or Score ≠ 0',
		],
		[{ conditions: {} }, 'Any score'],
		[{ conditions: { condition: [{ operator: 'gte', value: '={{ $json.threshold }}' }] } }, 'Score ≥ …'],
	])('Engagement Score Trigger %j: "%s"', (parameters, subtitle) => {
		expect(subtitleOf(editorNode('engagementScoreChangeTrigger', parameters))).toBe(subtitle);
	});
});

describe('the panel shows what the user came for first, the store last', () => {
	test.each([
		['engagementScore', ['resource', 'operation', 'profileId', 'mapping']],
		['modifyEngagementScore', ['profileId', 'contactId', 'operation', 'points']],
		['engagementScoreChangeTrigger', ['profileId', 'conditions', 'combinator', 'mode']],
	])('%s', (name, first) => {
		const shown = shownParameters(editorNode(name, {}));
		expect(shown.slice(0, first.length)).toEqual(first);
		expect(shown.slice(-2)).toEqual(['store', 'databasePath']);
		expect(shown).not.toContain('storeNotice');
	});

	test('a Modify node saved before version 1.1 keeps its default of 0 points; a new one starts at 1', () => {
		expect(editorNode('modifyEngagementScore', {}, 1).parameters.points).toBe(0);
		expect(editorNode('modifyEngagementScore', {}).parameters.points).toBe(1);
		expect(editorNode('modifyEngagementScore', {}).typeVersion).toBe(1.1);
	});
});

test('every parameter the demo workflows set is still a parameter of its node', () => {
	const examplesDir = join(__dirname, '..', '..', 'examples');
	let checked = 0;
	for (const file of readdirSync(examplesDir).filter((name) => name.endsWith('.json'))) {
		const workflow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { nodes: INode[] };
		for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith(`${PACKAGE}.`))) {
			const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
			const known = new Set(description.properties.map((property) => property.name));
			expect({ file, node: node.name, unknown: Object.keys(node.parameters).filter((name) => !known.has(name)) }).toEqual({
				file,
				node: node.name,
				unknown: [],
			});
			checked++;
		}
	}
	expect(checked).toBeGreaterThanOrEqual(6);
});
