import type { INodeProperties } from 'n8n-workflow';

/** Parameter name of the contact id in every node; also the `field` named in errors about it. */
export const CONTACT_ID_PARAMETER = 'contactId';

/** The "Contact ID" parameter, the same in every node that takes one contact. */
export function contactIdProperty(
	overrides: Partial<Pick<INodeProperties, 'description' | 'displayOptions'>> = {},
): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: CONTACT_ID_PARAMETER,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.contactId }}',
		description: 'The ID of the contact, as your CRM knows it',
		...overrides,
	};
}
