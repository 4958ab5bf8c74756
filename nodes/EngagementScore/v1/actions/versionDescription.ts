import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as decay from './decay/Decay.resource';
import * as event from './event/Event.resource';
import * as profile from './profile/Profile.resource';
import { redisCredentialDescription } from '../../../shared/redis';
import { storeProperties } from '../../../shared/store';
import { engagementScoreSubtitle } from '../../../shared/subtitles';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Engagement Score',
	name: 'engagementScore',
	icon: { light: 'file:engagementScore.svg', dark: 'file:engagementScore.dark.svg' },
	group: ['transform'],
	version: [1, 1.1],
	subtitle: engagementScoreSubtitle,
	description:
		'Score contacts by their engagement with rule-based score profiles (HighLevel style): score events, manage profiles and contacts, decay inactive contacts',
	defaults: { name: 'Engagement Score' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	usableAsTool: true,
	credentials: [redisCredentialDescription],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Contact', value: 'contact', description: "A contact's score and its history" },
				{ name: 'Decay', value: 'decay', description: 'Scores falling for inactive contacts' },
				{ name: 'Event', value: 'event', description: 'Something a contact did, scored by the rules' },
				{ name: 'Profile', value: 'profile', description: 'A set of scoring rules, drafted then published' },
			],
			default: 'event',
		},
		...event.description,
		...profile.description,
		...contact.description,
		...decay.description,
		// Last: what the user came for comes first, and the default store needs nothing.
		...storeProperties({ allowStaticData: true }),
	],
};
