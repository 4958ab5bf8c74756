import type { JournalCarried, JournalRecord } from '../journal';
import type { ContactState, ExpiringGrant } from '../scoring/contact-state';
import type { EventOperation, ScoreOperation, ScoringRule } from '../scoring/operation';
import { adjustedScore, normalizeScore } from '../scoring/score-math';
import type { Transition } from '../scoring/transition';
import type { Rule } from '../types';
import type {
	DecayContribution,
	GroupContribution,
	ManualContribution,
	ResetContribution,
	RuleContribution,
	ScoreExplanation,
} from './explanation';
import { type ReplayObserver, replayJournal } from './replay-contact';
import type { ReplaySettings } from './replay-settings';

/**
 * What makes up the score the contact's journal gives under `settings` (see ScoreExplanation):
 * the same replay as replayContact, each step's effect attributed to the rule, manual change,
 * reset or decay run behind it. The points come from the scoring core (what transition reports
 * each rule added, the states before and after each step); nothing here scores.
 */
export function explainContact(
	contactId: string,
	records: readonly JournalRecord[],
	profileWide: readonly JournalRecord[],
	settings: ReplaySettings,
	now: number,
): ScoreExplanation {
	const attribution = new Attribution(settings.rules);
	const { state } = replayJournal(contactId, records, profileWide, settings, now, attribution);
	return attribution.explanation(contactId, state);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Groups = Readonly<Record<string, number>> | undefined;

interface GroupTally {
	carried: number;
	rules: Map<string, number>;
	manual: number;
	resets: number;
	decay: number;
}

class Attribution implements ReplayObserver {
	private readonly rulesById: ReadonlyMap<string, Rule>;
	private readonly rules = new Map<string, Mutable<RuleContribution>>();
	private readonly groups = new Map<string, GroupTally>();
	private readonly manual: ManualContribution[] = [];
	private readonly resets: ResetContribution[] = [];
	private readonly decay: DecayContribution[] = [];
	private carried: ScoreExplanation['carried'];

	constructor(private readonly profileRules: readonly Rule[]) {
		this.rulesById = new Map(profileRules.map((rule) => [rule.id, rule]));
	}

	readonly ruleGains = (rule: ScoringRule, afterGroupLimit: number, gain: number): void => {
		const contribution = this.rule(rule.id, rule.group);
		contribution.events++;
		contribution.added = normalizeScore(contribution.added + gain);
		contribution.heldBackByGroupLimit = normalizeScore(contribution.heldBackByGroupLimit + rule.points - afterGroupLimit);
		contribution.heldBackByScoreLimit = normalizeScore(contribution.heldBackByScoreLimit + afterGroupLimit - gain);
		if (rule.group !== undefined) this.addToGroup(rule.group, (tally) => addTo(tally.rules, rule.id, gain));
	};

	started(carried: JournalCarried | undefined): void {
		if (carried === undefined) return;
		const groups = carried.ledger?.groups ?? carried.groups ?? {};
		this.carried = { score: carried.score, groups: { ...groups }, at: carried.at };
		for (const [group, subtotal] of Object.entries(groups)) this.addToGroup(group, (tally) => (tally.carried = normalizeScore(tally.carried + subtotal)));
	}

	applied(_entry: JournalRecord, operation: ScoreOperation, before: ContactState | undefined, outcome: Transition): void {
		const after = outcome.state ?? before;
		const effect = normalizeScore((after?.score ?? 0) - (before?.score ?? 0));
		switch (operation.kind) {
			case 'event':
				for (const ruleId of outcome.limitedRuleIds ?? []) this.rule(ruleId).limitedEvents++;
				for (const ruleId of outcome.lapsedRuleIds ?? []) this.rule(ruleId).lapsedEvents++;
				// Rules scored one by one were told by ruleGains; the others share the event's bounded sum.
				if (operation.rules === undefined) this.sharedSum(operation, effect);
				return;
			case 'modify': {
				const target = adjustedScore(before?.score ?? 0, operation.operation, operation.points);
				this.manual.push({
					operation: operation.operation,
					points: operation.points,
					...(operation.reason === undefined ? {} : { reason: operation.reason }),
					at: operation.at,
					effect,
					heldBackByScoreLimit: normalizeScore(target - (after?.score ?? 0)),
				});
				this.groupDiffs(before, after, (tally, delta) => (tally.manual = normalizeScore(tally.manual + delta)));
				return;
			}
			case 'reset':
				if (before === undefined) return;
				this.resets.push({ ...(operation.reason === undefined ? {} : { reason: operation.reason }), at: operation.at, effect });
				this.groupDiffs(before, after, (tally, delta) => (tally.resets = normalizeScore(tally.resets + delta)));
				return;
			case 'decay':
				if (effect === 0) return;
				this.decay.push({ mode: operation.policy.mode, at: operation.at, effect });
				this.groupDiffs(before, after, (tally, delta) => (tally.decay = normalizeScore(tally.decay + delta)));
				return;
			case 'expiry':
				return;
		}
	}

	expired(grant: ExpiringGrant, before: ContactState, after: ContactState): void {
		const contribution = this.rule(grant.ruleId, grant.group);
		contribution.expired = normalizeScore(contribution.expired + after.score - before.score);
		const group = grant.group;
		if (group === undefined) return;
		const delta = normalizeScore(groupOf(after.ledger?.groups, group) - groupOf(before.ledger?.groups, group));
		this.addToGroup(group, (tally) => addTo(tally.rules, grant.ruleId, delta));
	}

	explanation(contactId: string, state: ContactState | undefined): ScoreExplanation {
		const rules = [...this.rules.values()].map((rule) => ({ ...rule, points: normalizeScore(rule.added + rule.expired) }));
		const order = new Map(this.profileRules.map((rule, index) => [rule.id, index]));
		rules.sort((a, b) => (order.get(a.ruleId) ?? Infinity) - (order.get(b.ruleId) ?? Infinity));
		const groupContributions: GroupContribution[] = [...this.groups]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([group, tally]) => ({
				group,
				subtotal: groupOf(state?.ledger?.groups, group),
				carried: tally.carried,
				rules: [...tally.rules].map(([ruleId, points]) => ({ ruleId, points })),
				manual: tally.manual,
				resets: tally.resets,
				decay: tally.decay,
			}));
		let byGroupLimit = 0;
		let byScoreLimit = 0;
		let limitedEvents = 0;
		let lapsedEvents = 0;
		for (const rule of rules) {
			byGroupLimit = normalizeScore(byGroupLimit + rule.heldBackByGroupLimit);
			byScoreLimit = normalizeScore(byScoreLimit + rule.heldBackByScoreLimit);
			limitedEvents += rule.limitedEvents;
			lapsedEvents += rule.lapsedEvents;
		}
		for (const change of this.manual) byScoreLimit = normalizeScore(byScoreLimit + change.heldBackByScoreLimit);
		const explanation: Mutable<ScoreExplanation> = {
			contactId,
			score: state?.score ?? 0,
			groups: { ...state?.ledger?.groups },
			rules,
			groupContributions,
			manual: this.manual,
			resets: this.resets,
			decay: this.decay,
			heldBack: { limitedEvents, lapsedEvents, byGroupLimit, byScoreLimit },
		};
		if (this.carried !== undefined) explanation.carried = this.carried;
		return explanation;
	}

	/**
	 * An event whose rules are not scored one by one: the score's limits held back part of their
	 * sum, taken here from the last matched rules that point the same way (as the rules scored one
	 * by one are: the later ones meet the limit).
	 */
	private sharedSum(operation: EventOperation, effect: number): void {
		const matched = operation.matchedRuleIds.map((ruleId) => this.rulesById.get(ruleId) as Rule);
		let held = normalizeScore(operation.delta - effect);
		const heldByRule = new Map<string, number>();
		for (let index = matched.length - 1; index >= 0 && held !== 0; index--) {
			const points = matched[index].points;
			if (Math.sign(points) !== Math.sign(held)) continue;
			const taken = Math.abs(points) < Math.abs(held) ? points : held;
			heldByRule.set(matched[index].id, taken);
			held = normalizeScore(held - taken);
		}
		for (const rule of matched) {
			const taken = heldByRule.get(rule.id) ?? 0;
			const contribution = this.rule(rule.id, rule.group);
			contribution.events++;
			contribution.added = normalizeScore(contribution.added + rule.points - taken);
			contribution.heldBackByScoreLimit = normalizeScore(contribution.heldBackByScoreLimit + taken);
		}
	}

	private rule(ruleId: string, group?: string): Mutable<RuleContribution> {
		let contribution = this.rules.get(ruleId);
		if (contribution === undefined) {
			const ruleGroup = this.rulesById.get(ruleId)?.group ?? group;
			contribution = {
				ruleId,
				...(ruleGroup === undefined ? {} : { group: ruleGroup }),
				events: 0,
				added: 0,
				expired: 0,
				points: 0,
				limitedEvents: 0,
				lapsedEvents: 0,
				heldBackByGroupLimit: 0,
				heldBackByScoreLimit: 0,
			};
			this.rules.set(ruleId, contribution);
		}
		return contribution;
	}

	private addToGroup(group: string, change: (tally: GroupTally) => void): void {
		let tally = this.groups.get(group);
		if (tally === undefined) {
			tally = { carried: 0, rules: new Map(), manual: 0, resets: 0, decay: 0 };
			this.groups.set(group, tally);
		}
		change(tally);
	}

	/** Each group's move between two states, told to `add`. */
	private groupDiffs(before: ContactState | undefined, after: ContactState | undefined, add: (tally: GroupTally, delta: number) => void): void {
		const previous = before?.ledger?.groups;
		const next = after?.ledger?.groups;
		if (previous === next) return;
		for (const group of new Set([...Object.keys(previous ?? {}), ...Object.keys(next ?? {})])) {
			const delta = normalizeScore(groupOf(next, group) - groupOf(previous, group));
			if (delta !== 0) this.addToGroup(group, (tally) => add(tally, delta));
		}
	}
}

function groupOf(groups: Groups, group: string): number {
	return groups !== undefined && Object.hasOwn(groups, group) ? groups[group] : 0;
}

function addTo(map: Map<string, number>, key: string, points: number): void {
	map.set(key, normalizeScore((map.get(key) ?? 0) + points));
}
