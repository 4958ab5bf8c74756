/**
 * docs/event-types.md is the engine's table of event types (src/event.ts), the one the rule form's
 * suggestions come from, written out for people. Regenerate it with
 * `UPDATE_EVENT_TYPES_DOC=1 npx jest test/engine/event-types-doc.test.ts` after changing the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { EVENT_TYPES } from '../../src/index';

const DOC = join(__dirname, '..', '..', 'docs', 'event-types.md');

function eventTypesMarkdown(): string {
	const lines = [
		'# Event types and their properties',
		'',
		"HighLevel's twelve action types, with the properties an event of each type carries and their",
		"typical values. The rule form offers these as suggestions (Property and Value) once a rule's",
		'event type is chosen; any other property or value can be given as an expression. Generated from',
		'`EVENT_TYPES` in `src/event.ts` (see test/engine/event-types-doc.test.ts).',
		'',
		'| Event type | ID | Property | What it holds | Typical values |',
		'| --- | --- | --- | --- | --- |',
	];
	for (const type of EVENT_TYPES) {
		type.properties.forEach((property, index) => {
			const head = index === 0 ? `${type.name} | \`${type.id}\`` : ' | ';
			const values = (property.examples ?? []).map((value) => `\`${value}\``).join(', ');
			lines.push(`| ${head} | \`${property.name}\` | ${property.description} | ${values} |`);
		});
	}
	lines.push('', 'Any other type name (letters, digits, `_ . : -`) is a custom type: its rules name their own properties.', '');
	return lines.join('\n');
}

test('docs/event-types.md lists the event types, properties and values the engine (and the rule form) knows', () => {
	const expected = eventTypesMarkdown();
	if (process.env.UPDATE_EVENT_TYPES_DOC === '1') writeFileSync(DOC, expected);
	expect(readFileSync(DOC, 'utf8')).toBe(expected);
});
