/** Tag-based rather than prototype-based, so objects made in another realm (a sandbox) count too. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return Object.prototype.toString.call(value) === '[object Object]';
}

/** Reads an own property only: "__proto__" and "constructor" are ordinary keys, never the prototype. */
export function ownValue(object: Readonly<Record<string, unknown>>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** JSON.parse as a value, so that callers can turn a failure into their own error. */
export function parseJsonText(text: string): ParsedJson {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}
