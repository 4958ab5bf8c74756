/** How every store orders what it lists, so that all of them list alike. */
export function byNameThenId(a: { name: string; id: string }, b: { name: string; id: string }): number {
	return compareStrings(a.name, b.name) || compareStrings(a.id, b.id);
}

/** Ascending numeric order by comparison only (an index orders scores, it never computes with them). */
export function compareNumbers(a: number, b: number): number {
	if (a < b) return -1;
	return a > b ? 1 : 0;
}

/**
 * Unicode code point order, which is the byte order of UTF-8 and so SQLite's default BINARY
 * collation: every store sorts ties alike. (Plain `<` compares UTF-16 units, which puts
 * characters above U+FFFF before U+E000..U+FFFF.)
 */
export function compareStrings(a: string, b: string): number {
	if (a === b) return 0;
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		const left = a.charCodeAt(index);
		const right = b.charCodeAt(index);
		if (left !== right) return Math.sign(codePointRank(left) - codePointRank(right));
	}
	return Math.sign(a.length - b.length);
}

/** Surrogates stand for code points above U+FFFF, so they rank above every other UTF-16 unit. */
function codePointRank(unit: number): number {
	return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
