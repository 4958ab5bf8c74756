/**
 * The Redis benches' scoring workload: events over contacts in a spread order (consecutive events
 * go to different contacts), two rule kinds, and the published profile that scores them.
 */
const T0 = Date.UTC(2026, 0, 1);

/** `count` events with ids over `contacts` contacts; one in three an email click (10 points), the rest a demo form (15). */
function scoringEvents(count, contacts) {
	return Array.from({ length: count }, (_, index) => ({
		id: `evt-${index}`,
		contactId: `contact-${(index * 7919) % contacts}`,
		type: index % 3 === 0 ? 'email_event' : 'form_submitted',
		properties: index % 3 === 0 ? { event: 'clicked' } : { form: 'demo request' },
		occurredAt: T0 + index,
	}));
}

/** A published profile document (for store.insertProfile) whose rules score scoringEvents. */
function benchProfile(id) {
	const rules = [
		{ id: 'clicked', eventType: 'email_event', conditions: [{ property: 'event', operator: 'equals', value: 'clicked' }], points: 10 },
		{ id: 'demo', eventType: 'form_submitted', conditions: [{ property: 'form', operator: 'contains', value: 'demo' }], points: 15 },
	];
	return { id, name: id, description: 'benchmark', status: 'published', draftRules: rules, publishedRules: rules, version: 1, publishedAt: T0, createdAt: T0, updatedAt: T0 };
}

module.exports = { T0, scoringEvents, benchProfile };
