/**
 * Many contacts' events with their expected scores, sent to n8n by parallel clients the way an
 * event source with retries would: every event carries an id, and a failed request (network
 * error, timeout or 5xx, e.g. its execution died with a worker) is sent again, same body, same ids.
 *
 * Each client owns a group of contacts and sends rounds: one request holding the next event of
 * every contact of its group, as a JSON array, to the batch webhook. A contact's next event is sent
 * only after the previous request was answered, so every contact's score path, and so its
 * threshold crossings, are known in advance, while the contacts of a round are scored together.
 * On top of that, some events are delivered twice at the same time (the whole round again, or one
 * event of it alone to the demo's single-event webhook) and some earlier events are replayed later
 * to the single-event webhook. Every answer is checked against the expected path as it comes in.
 */
import { THRESHOLD, random, randomKinds, type EventKind } from '../e2e/demo-events';

export interface StreamEvent {
	readonly id: string;
	readonly contactId: string;
	readonly kind: EventKind;
	readonly scoreAfter: number;
}

export interface Crossing {
	readonly contactId: string;
	/** The event whose change took the score from below THRESHOLD to THRESHOLD or more. */
	readonly eventId: string;
	readonly previousScore: number;
	readonly score: number;
}

export interface ContactStream {
	readonly contactId: string;
	readonly events: readonly StreamEvent[];
	readonly finalScore: number;
	/** Every change of this contact from below THRESHOLD to THRESHOLD or more, in order. */
	readonly crossings: readonly Crossing[];
}

export function contactStream(contactId: string, kinds: readonly EventKind[], idPrefix: string): ContactStream {
	let score = 0;
	const crossings: Crossing[] = [];
	const events = kinds.map((kind, index) => {
		const previousScore = score;
		score += kind.points;
		const id = `${idPrefix}:${contactId}:${index}`;
		if (previousScore < THRESHOLD && score >= THRESHOLD) crossings.push({ contactId, eventId: id, previousScore, score });
		return { id, contactId, kind, scoreAfter: score };
	});
	return { contactId, events, finalScore: score, crossings };
}

/** One stream per contact with `eventsPerContact` random demo events each, reproducible from the seed. */
export function randomStreams(seed: number, contactIds: readonly string[], eventsPerContact: number, idPrefix: string): ContactStream[] {
	const next = random(seed);
	return contactIds.map((contactId) => contactStream(contactId, randomKinds(next, eventsPerContact), idPrefix));
}

export interface SendOptions {
	readonly baseUrl: string;
	/** Webhook path of the workflow that takes a JSON array of events. */
	readonly batchPath: string;
	/** Webhook path of the demo workflow that takes one event. */
	readonly singlePath: string;
	/** Requests in flight at once, not counting the concurrent duplicates. */
	readonly clients: number;
	/** Contacts per client group, so events per round request. */
	readonly batchSize: number;
	readonly seed: number;
	/** Share of rounds sent twice at the same time (same events, same ids). */
	readonly duplicateRoundRate: number;
	/** Share of rounds one event of which is also sent alone to the single-event webhook at the same time. */
	readonly duplicateSingleRate: number;
	/** Share of rounds after which an earlier event of the group is sent again to the single-event webhook. */
	readonly replayRate: number;
	/** How long one request may take before the client gives up on it and sends it again. */
	readonly requestTimeoutMs: number;
	/** Called after each answered round with the number of events answered so far. */
	readonly onProgress?: (eventsDone: number) => void;
}

export interface SendReport {
	/** Distinct events answered (each once, however often it was delivered). */
	readonly events: number;
	/** HTTP requests made, resends included. */
	readonly requests: number;
	readonly batchRequests: number;
	readonly singleRequests: number;
	/** Requests sent again after a network error, timeout or 5xx answer. */
	readonly resent: number;
	/** What failed before a resend: "<status or error>" -> count. */
	readonly resendCauses: Record<string, number>;
	/** Event deliveries that were a second, concurrent delivery of an event. */
	readonly concurrentDuplicates: number;
	/** Events sent again after later events of the same contact were answered. */
	readonly replays: number;
	/** Answers that contradict the expected score path (must be empty). */
	readonly violations: string[];
	readonly elapsedMs: number;
}

interface Answer {
	readonly status: number;
	readonly body: unknown;
	readonly attempts: number;
}

/** What one delivery of one event was answered with. */
interface Outcome {
	readonly status: number;
	readonly item: Record<string, unknown> | undefined;
	/** False when an earlier attempt of the same request may have applied the event before it failed. */
	readonly firstAttempt: boolean;
}

const MAX_ATTEMPTS = 8;

export async function sendStreams(streams: readonly ContactStream[], options: SendOptions): Promise<SendReport> {
	const started = Date.now();
	const next = random(options.seed);
	const violations: string[] = [];
	const resendCauses: Record<string, number> = {};
	let requests = 0;
	let batchRequests = 0;
	let singleRequests = 0;
	let resent = 0;
	let concurrentDuplicates = 0;
	let replays = 0;
	let eventsDone = 0;

	const eventJson = (event: StreamEvent) => ({ id: event.id, contactId: event.contactId, type: event.kind.type, properties: event.kind.properties });

	const post = async (path: string, body: unknown): Promise<Answer> => {
		const text = JSON.stringify(body);
		for (let attempt = 1; ; attempt++) {
			requests++;
			let cause: string;
			try {
				const response = await fetch(`${options.baseUrl}/webhook/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: text,
					signal: AbortSignal.timeout(options.requestTimeoutMs),
				});
				const answer = await response.text();
				if (response.status < 500) return { status: response.status, body: parseJson(answer), attempts: attempt };
				cause = `HTTP ${response.status} ${answer.slice(0, 80)}`;
			} catch (error) {
				cause = errorName(error);
			}
			resendCauses[cause] = (resendCauses[cause] ?? 0) + 1;
			if (attempt >= MAX_ATTEMPTS) return { status: 0, body: { error: cause }, attempts: attempt };
			resent++;
			await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
		}
	};

	/** Posts a round; one outcome per event, in order. */
	const postBatch = async (events: readonly StreamEvent[]): Promise<Outcome[]> => {
		batchRequests++;
		const answer = await post(options.batchPath, events.map(eventJson));
		const items = Array.isArray(answer.body) ? (answer.body as Array<Record<string, unknown>>) : undefined;
		if (answer.status === 200 && items?.length !== events.length) {
			violations.push(`round ${events[0].id}..: expected ${events.length} result items, got ${JSON.stringify(answer.body).slice(0, 200)}`);
		}
		return events.map((_, index) => ({
			status: answer.status,
			item: items?.[index] ?? (answer.body as Record<string, unknown>),
			firstAttempt: answer.attempts === 1,
		}));
	};

	const postSingle = async (event: StreamEvent): Promise<Outcome> => {
		singleRequests++;
		const answer = await post(options.singlePath, eventJson(event));
		return { status: answer.status, item: answer.body as Record<string, unknown>, firstAttempt: answer.attempts === 1 };
	};

	/**
	 * One delivery's answer: the contact's score after `expectedScore`, and applied exactly when
	 * `expectApplied` says (undefined: either, e.g. after a resend). Returns whether it applied.
	 */
	const check = (what: string, event: StreamEvent, outcome: Outcome, expectedScore: number, expectApplied: boolean | undefined): boolean => {
		const { status, item } = outcome;
		const label = `${what} ${event.id} (${event.kind.name})`;
		const shown = JSON.stringify(item).slice(0, 240);
		if (status !== 200 || item === undefined) {
			violations.push(`${label}: status ${status} ${shown}`);
			return false;
		}
		if (item.eventId !== event.id || item.contactId !== event.contactId || item.score !== expectedScore) {
			violations.push(`${label}: expected contact ${event.contactId} at score ${expectedScore}, got ${shown}`);
		}
		const applied = item.duplicate === false;
		if (item.duplicate !== true && item.duplicate !== false) violations.push(`${label}: no duplicate flag in ${shown}`);
		if (expectApplied !== undefined && applied !== expectApplied) {
			violations.push(`${label}: expected duplicate=${!expectApplied}, got ${shown}`);
		}
		const delta = applied ? event.kind.points : 0;
		if (item.delta !== delta) violations.push(`${label}: expected delta ${delta}, got ${shown}`);
		return applied;
	};

	/** Two deliveries of one event at the same time: the one that applied is the only one. */
	const checkPair = (what: string, event: StreamEvent, pair: readonly [Outcome, Outcome]) => {
		const applied = pair.filter((outcome) => check(what, event, outcome, event.scoreAfter, undefined)).length;
		// Only first-time deliveries prove that one of them applied: a resend may find the event
		// applied by its own earlier attempt, which died with a worker after the write.
		const firstTries = pair.every((outcome) => outcome.firstAttempt);
		if (applied > 1 || (firstTries && applied !== 1)) violations.push(`${what} ${event.id}: ${applied} of 2 deliveries applied`);
	};

	const sendGroup = async (group: readonly ContactStream[]) => {
		const rounds = Math.max(...group.map((stream) => stream.events.length));
		for (let round = 0; round < rounds; round++) {
			const events = group.filter((stream) => round < stream.events.length).map((stream) => stream.events[round]);
			const dice = next();
			if (dice < options.duplicateRoundRate) {
				concurrentDuplicates += events.length;
				const [first, second] = await Promise.all([postBatch(events), postBatch(events)]);
				events.forEach((event, index) => checkPair('round delivered twice at once:', event, [first[index], second[index]]));
			} else if (dice < options.duplicateRoundRate + options.duplicateSingleRate) {
				concurrentDuplicates++;
				const alone = Math.floor(next() * events.length);
				const [outcomes, single] = await Promise.all([postBatch(events), postSingle(events[alone])]);
				events.forEach((event, index) => {
					if (index === alone) checkPair('event also sent alone at once:', event, [outcomes[index], single]);
					else check('event', event, outcomes[index], event.scoreAfter, outcomes[index].firstAttempt ? true : undefined);
				});
			} else {
				const outcomes = await postBatch(events);
				events.forEach((event, index) => check('event', event, outcomes[index], event.scoreAfter, outcomes[index].firstAttempt ? true : undefined));
			}
			eventsDone += events.length;
			if (round > 0 && next() < options.replayRate) {
				replays++;
				const stream = group[Math.floor(next() * group.length)];
				const last = Math.min(round, stream.events.length - 1);
				const earlier = stream.events[Math.floor(next() * last)];
				// Counted already: a duplicate, answered with the contact's current score.
				check('replayed later:', earlier, await postSingle(earlier), stream.events[last].scoreAfter, false);
			}
			options.onProgress?.(eventsDone);
		}
	};

	const groups: ContactStream[][] = [];
	for (let index = 0; index < streams.length; index += options.batchSize) groups.push(streams.slice(index, index + options.batchSize));
	await Promise.all(
		Array.from({ length: options.clients }, async () => {
			for (let group = groups.shift(); group; group = groups.shift()) await sendGroup(group);
		}),
	);
	return {
		events: eventsDone,
		requests,
		batchRequests,
		singleRequests,
		resent,
		resendCauses,
		concurrentDuplicates,
		replays,
		violations,
		elapsedMs: Date.now() - started,
	};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return { unparsed: text.slice(0, 200) };
	}
}

function errorName(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as Error & { cause?: { code?: string } }).cause;
	return cause?.code ? `${error.name}: ${cause.code}` : `${error.name}: ${error.message}`;
}
