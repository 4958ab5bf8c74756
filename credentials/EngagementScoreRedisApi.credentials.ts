import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The Redis server holding engagement scores when n8n runs in queue mode or as several
 * instances. Tested by the nodes (`testedBy`), since a Redis connection is not an HTTP request.
 */
export class EngagementScoreRedisApi implements ICredentialType {
	name = 'engagementScoreRedisApi';

	displayName = 'Engagement Score Redis API';

	icon: Icon = { light: 'file:engagementScoreRedis.svg', dark: 'file:engagementScoreRedis.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-engagement-score/n8n-nodes-engagement-score#redis-store';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			default: 0,
			description: 'The logical Redis database (0-15 on a default server)',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'ACL user name. Leave empty for the default user.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
			description: 'Whether to connect over TLS',
		},
		{
			displayName: 'Ignore TLS Certificate Errors',
			name: 'ignoreTlsErrors',
			type: 'boolean',
			default: false,
			description: 'Whether to accept a self-signed or otherwise unverifiable server certificate',
			displayOptions: { show: { tls: [true] } },
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			type: 'string',
			default: 'engagement-score:',
			description:
				'Prepended to every key this package writes, so that separate setups can share one Redis database. Every node and n8n instance that should see the same scores must use the same prefix.',
		},
		{
			displayName: 'Remember Event IDs for (Days)',
			name: 'eventIdRetentionDays',
			type: 'number',
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			default: 30,
			description:
				'How long an event ID is remembered, so that an event delivered again within this time counts once. Longer keeps more memory in Redis.',
		},
	];
}
