import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidInputError, shown, toIdText, type ScoreProfile } from '../../src/index';
import { nodeStoreSettings, usingStore, type CredentialSource } from './node-store';

/** Parameter name of the profile picker; also the `field` named in errors about it. */
export const PROFILE_PARAMETER = 'profileId';
/** Name under which nodes register `searchProfiles` in `methods.listSearch`. */
export const PROFILE_LIST_SEARCH = 'searchProfiles';
/** Name under which nodes register `getProfileOptions` in `methods.loadOptions`. */
export const PROFILE_LOAD_OPTIONS = 'getProfileOptions';

/**
 * The "Score Profile" picker: a resource locator choosing from the store's profiles (list mode)
 * or taking an id (ID mode, also what expressions fill in). Nodes using it must register
 * `searchProfiles` under `methods.listSearch` and have the store parameters of `storeProperties`.
 */
export function profileLocatorProperty(
	overrides: Partial<Pick<INodeProperties, 'description' | 'displayOptions' | 'hint'>> = {},
): INodeProperties {
	return {
		displayName: 'Score Profile',
		name: PROFILE_PARAMETER,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The score profile to use',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a profile...',
				typeOptions: {
					searchListMethod: PROFILE_LIST_SEARCH,
					searchable: true,
					// n8n's editor refuses to load a list for a node that declares any credential while
					// none is set, even one shown only for another store. The default SQLite store needs
					// none; on Redis without a credential the search itself says what is missing.
					skipCredentialsCheckInRLC: true,
				},
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. lead-score',
			},
		],
		...overrides,
	};
}

/**
 * The profile id a locator parameter holds, whichever mode it was set in.
 * @throws InvalidInputError (field `profileId`) when empty or not an id (NaN, an object, a lone surrogate).
 */
export function profileIdFrom(parameterValue: unknown): string {
	const raw =
		typeof parameterValue === 'object' && parameterValue !== null && 'value' in parameterValue
			? (parameterValue as { value: unknown }).value
			: parameterValue;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		throw new InvalidInputError('Score profile is missing: choose one or enter its ID', PROFILE_PARAMETER);
	}
	const profileId = toIdText(raw, PROFILE_PARAMETER, 'The score profile id');
	if (profileId === undefined) {
		throw new InvalidInputError(`"${shown(raw)}" is not a score profile id (a text or a number)`, PROFILE_PARAMETER);
	}
	return profileId;
}

/** listSearch method: the profiles of the node's store whose name or id contains `filter`. */
export async function searchProfiles(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const profiles = await profilesOfCurrentStore(this);
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = profiles
		.filter(
			(profile) =>
				!needle ||
				profile.name.toLowerCase().includes(needle) ||
				profile.id.toLowerCase().includes(needle),
		)
		.map(profileOption);
	return { results };
}

/** loadOptions method, for `options` parameters that list profiles (e.g. in a fixedCollection). */
export async function getProfileOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await profilesOfCurrentStore(this)).map(profileOption);
}

/** n8n's "Node does not have any credentials set" becomes what the user has to do. */
function redisCredentialRequired(context: ILoadOptionsFunctions, kind: unknown): CredentialSource {
	return {
		getCredentials: async (type) => {
			const node = context.getNode();
			if (kind === 'redis' && !node.credentials?.[type]) {
				throw new NodeOperationError(node, REDIS_CREDENTIAL_MISSING, { level: 'warning' });
			}
			return await context.getCredentials(type);
		},
	};
}

export const REDIS_CREDENTIAL_MISSING =
	'Store is Redis: select an Engagement Score Redis credential for this node to list its profiles';

function profileOption(profile: ScoreProfile): INodeListSearchItems {
	const status = profile.status === 'published' ? `published v${profile.version}` : 'draft';
	return {
		name: `${profile.name} (${status})`,
		value: profile.id,
		description: profile.description || undefined,
	};
}

async function profilesOfCurrentStore(context: ILoadOptionsFunctions): Promise<ScoreProfile[]> {
	const kind = context.getCurrentNodeParameter('store');
	const settings = await nodeStoreSettings(
		redisCredentialRequired(context, kind),
		kind,
		context.getCurrentNodeParameter('databasePath'),
	);
	const staticData: IDataObject | undefined =
		settings.kind === 'workflowStaticData' ? context.getWorkflowStaticData('global') : undefined;
	const profiles = await usingStore(settings, staticData, async (store) => await store.listProfiles());
	return [...profiles].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
