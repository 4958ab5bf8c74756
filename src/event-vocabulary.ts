import { EVENT_TYPES, type EventPropertyDefinition } from './event';

/**
 * What the engine knows of each event type's properties and their typical values (EVENT_TYPES),
 * asked the way a form asks: which properties does this type carry, which values may this one have.
 */

const typesById = new Map(EVENT_TYPES.map((type) => [type.id, type]));

/** The properties an event of this type is known to carry; none for a custom type. */
export function knownEventProperties(eventType: string): readonly EventPropertyDefinition[] {
	return typesById.get(eventType)?.properties ?? [];
}

/**
 * Typical values of a property, for events of the given types; a type without the property (or
 * a custom type) contributes none. Without types: the property's values in every built-in type.
 */
export function knownPropertyValues(property: string, eventTypes?: readonly string[]): string[] {
	const types = eventTypes === undefined ? EVENT_TYPES : eventTypes.flatMap((id) => typesById.get(id) ?? []);
	const values = types.flatMap(
		(type) => type.properties.find((definition) => definition.name === property)?.examples ?? [],
	);
	return [...new Set(values)];
}

/** Every property name that has typical values in some built-in type. */
export const PROPERTIES_WITH_KNOWN_VALUES: readonly string[] = [
	...new Set(
		EVENT_TYPES.flatMap((type) =>
			type.properties.filter((definition) => (definition.examples ?? []).length > 0).map((definition) => definition.name),
		),
	),
];
