import * as ObservableObject from 'n8n-workflow/dist/cjs/observable-object';

import type { ScoreStore } from '../../src/store';
import { DocumentStore } from '../../src/stores/document-store';
import { describeStoreConformance } from './conformance';

/**
 * n8n saves a workflow's static data as JSON and, for the next execution, parses it again and
 * wraps it in its ObservableObject. Every call here gets a store over such a freshly reloaded
 * container, so nothing may depend on object identity or on keys surviving only in memory.
 */
function reloadedEachCall(): ScoreStore {
	let saved = '{}';
	const reload = () => ObservableObject.create(JSON.parse(saved) as Record<string, unknown>) as Record<string, unknown>;
	const key = new DocumentStore(reload()).key;
	return new Proxy({} as ScoreStore, {
		get(_target, property) {
			if (property === 'key') return key;
			return (...args: unknown[]) => {
				const container = reload();
				const store = new DocumentStore(container) as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
				const result = store[property](...args);
				saved = JSON.stringify(container);
				return result;
			};
		},
	});
}

describeStoreConformance('workflow static data (kept in memory)', async () => ({
	store: new DocumentStore({}),
	cleanup: async () => {},
}));

describeStoreConformance('workflow static data (JSON round trip and n8n reload between calls)', async () => ({
	store: reloadedEachCall(),
	cleanup: async () => {},
}));
