/**
 * Errors the engine raises. `field` names the input that was wrong so that an n8n adapter
 * can say "item 3, field contactId: ..." without parsing messages.
 */
export class EngagementScoreError extends Error {
	constructor(
		message: string,
		readonly field?: string,
	) {
		super(message);
		this.name = new.target.name;
	}
}

/** The caller's input is malformed: a missing contact id, non-numeric points, a bad rule. */
export class InvalidInputError extends EngagementScoreError {}

export class ProfileNotFoundError extends EngagementScoreError {
	constructor(readonly profileId: string) {
		super(`Score profile "${profileId}" does not exist`, 'profileId');
	}
}

export class ProfileNotPublishedError extends EngagementScoreError {
	constructor(readonly profileId: string) {
		super(
			`Score profile "${profileId}" is not published: publish it before scoring events with it`,
			'profileId',
		);
	}
}

export class ProfileAlreadyExistsError extends EngagementScoreError {
	constructor(readonly profileId: string) {
		super(`Score profile "${profileId}" already exists`, 'profileId');
	}
}

/** The backing store could not be reached or refused the operation (nothing was written). */
export class StoreUnavailableError extends EngagementScoreError {}
