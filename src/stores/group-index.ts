type Groups = Readonly<Record<string, number>> | undefined;

/**
 * What a store's group index must write when a contact's groups go from `previous` to `groups`:
 * each group whose subtotal is new or moved, with it, and each group that left, with undefined.
 * Nothing for a contact holding no group on either side.
 */
export function movedGroups(previous: Groups, groups: Groups): Array<[string, number | undefined]> {
	const moved: Array<[string, number | undefined]> = [];
	for (const [group, subtotal] of Object.entries(groups ?? {})) {
		if (previous === undefined || !Object.hasOwn(previous, group) || previous[group] !== subtotal) moved.push([group, subtotal]);
	}
	for (const group of Object.keys(previous ?? {})) {
		if (groups === undefined || !Object.hasOwn(groups, group)) moved.push([group, undefined]);
	}
	return moved;
}
