/** Tag-based rather than prototype-based, so objects made in another realm (a sandbox) count too. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return Object.prototype.toString.call(value) === '[object Object]';
}

/** Reads an own property only: "__proto__" and "constructor" are ordinary keys, never the prototype. */
export function ownValue(object: Readonly<Record<string, unknown>>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
