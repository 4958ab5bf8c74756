import type { ChangeRecord } from './transition';

type Groups = Readonly<Record<string, number>> | undefined;

/**
 * The change with the contact's group subtotals before and after it, so that a reader of the log
 * (a trigger testing "Sales group ≥ 30") knows both without the contact's state. A contact holding
 * no group on either side logs neither.
 */
export function withGroups(change: ChangeRecord, previousGroups: Groups, groups: Groups): ChangeRecord {
	if (previousGroups === undefined && groups === undefined) return change;
	return { ...change, groups: groups ?? {}, previousGroups: previousGroups ?? {} };
}
