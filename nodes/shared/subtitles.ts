/**
 * Canvas subtitles: n8n expressions over the node's own parameters ($parameter), evaluated by the
 * editor. They say what the node does ("Score event", "Add 10 points", "Score ≥ 50") instead of
 * internal values. Built from tables here so that the expressions stay readable and testable.
 */

/** What each resource/operation of the Engagement Score node does, as the canvas shows it. */
export const ENGAGEMENT_SCORE_ACTIONS: Readonly<Record<string, string>> = {
	'event:score': 'Score event',
	'profile:create': 'Create profile',
	'profile:updateDraft': 'Update profile draft',
	'profile:publish': 'Publish profile',
	'profile:unpublish': 'Unpublish profile',
	'profile:get': 'Get profile',
	'profile:getMany': 'Get many profiles',
	'profile:delete': 'Delete profile',
	'contact:get': 'Get contact score',
	'contact:getMany': 'Get many contact scores',
	'contact:getHistory': 'Get score history',
	'contact:reset': 'Reset contact score',
	'contact:delete': 'Delete contact score',
	'decay:apply': 'Decay inactive contacts',
};

export const engagementScoreSubtitle = `={{ (${JSON.stringify(ENGAGEMENT_SCORE_ACTIONS)})[$parameter["resource"] + ":" + $parameter["operation"]] || "" }}`;

/**
 * "Add 10 points", "Subtract 1 point", "Set score to 20". Points mapped by an expression cannot be
 * resolved on the canvas (no input data there; reading them throws), so the number is left out.
 */
export const modifyEngagementScoreSubtitle =
	'={{ (() => { const operation = $parameter["operation"]; let points; ' +
	'try { points = $parameter["points"]; } catch (error) { points = undefined; } ' +
	'if (typeof points !== "number") return ({ add: "Add points", subtract: "Subtract points", set: "Set score" })[operation] || ""; ' +
	'if (operation === "set") return "Set score to " + points; ' +
	'return (operation === "subtract" ? "Subtract " : "Add ") + points + (Math.abs(points) === 1 ? " point" : " points"); })() }}';

const SCORE_SYMBOLS = { gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=', ne: '≠' };

/**
 * "Score ≥ 50", "Score 10–20 or Score < 0", ", on every change" when it fires on every change; a value
 * mapped by an expression shows as "…" (the canvas has no data to resolve it with).
 */
export const engagementScoreTriggerSubtitle =
	'={{ (() => { let conditions; ' +
	'try { conditions = ($parameter["conditions"] || {}).condition || []; } catch (error) { return "Score condition"; } ' +
	'const shown = (v) => typeof v === "string" && v.startsWith("=") ? "…" : v; ' +
	'const text = conditions.map(c => c.operator === "between" ? "Score " + shown(c.value) + "–" + shown(c.valueTo) : ' +
	`"Score " + (${JSON.stringify(SCORE_SYMBOLS)})[c.operator] + " " + shown(c.value))` +
	'.join($parameter["combinator"] === "or" ? " or " : " and ") || "Any score"; ' +
	'return text + ($parameter["mode"] === "everyChange" ? ", on every change" : ""); })() }}';
