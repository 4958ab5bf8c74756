import type { IDataObject } from 'n8n-workflow';
import * as ObservableObject from 'n8n-workflow/dist/cjs/observable-object';

import type { ScoreStore } from '../../src/store';
import { StaticDataStore } from '../../src/stores/static-data/static-data-store';

/**
 * n8n saves a workflow's static data as JSON and, for the next execution, parses it again and
 * wraps it in its ObservableObject. Every call here gets a store over such a freshly reloaded
 * container, so nothing may depend on object identity or on keys surviving only in memory.
 */
export function reloadedEachCall(): ScoreStore {
	let saved = '{}';
	const reload = () => ObservableObject.create(JSON.parse(saved) as IDataObject) as Record<string, unknown>;
	const key = new StaticDataStore(reload()).key;
	return new Proxy({} as ScoreStore, {
		get(_target, property) {
			if (property === 'key') return key;
			// Not a thenable: an async function may return the store.
			if (property === 'then') return undefined;
			return (...args: unknown[]) => {
				const container = reload();
				const store = new StaticDataStore(container) as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
				const result = store[property](...args);
				saved = JSON.stringify(container);
				return result;
			};
		},
	});
}
