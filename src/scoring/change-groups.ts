import type { ChangeRecord } from './transition';

type Groups = Readonly<Record<string, number>> | undefined;

/**
 * The change with the contact's group subtotals before and after it, so that a reader of the log
 * (a trigger testing "Sales group ≥ 30") knows both without the contact's state. A contact holding
 * no group on either side logs neither.
 */
export function withGroups(change: ChangeRecord, previousGroups: Groups, groups: Groups): ChangeRecord {
	if (previousGroups === undefined && groups === undefined) return change;
	// Field by field: spreading changes of several shapes fell to V8's slow generic copy (a third of a replay's time).
	const { contactId, previousScore, score, delta, cause, at } = change;
	return { contactId, previousScore, score, delta, cause, at, groups: groups ?? {}, previousGroups: previousGroups ?? {} };
}
