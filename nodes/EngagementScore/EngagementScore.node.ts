import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { EngagementScoreV1 } from './v1/EngagementScoreV1.node';
import { engagementScoreSubtitle } from '../shared/subtitles';

export class EngagementScore extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Engagement Score',
			name: 'engagementScore',
			icon: { light: 'file:engagementScore.svg', dark: 'file:engagementScore.dark.svg' },
			group: ['transform'],
			subtitle: engagementScoreSubtitle,
			description:
				'Score contacts by their engagement with rule-based score profiles (HighLevel style): score events, manage profiles and contacts, decay inactive contacts',
			defaultVersion: 1.1,
		};

		// 1.1 names the change's sequence number `changeSeq` in Get History, as the trigger does;
		// nodes saved at version 1 keep `seq`, which their workflows' expressions may read.
		const version1 = new EngagementScoreV1(baseDescription);
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: version1,
			1.1: version1,
		};

		super(nodeVersions, baseDescription);
	}
}
