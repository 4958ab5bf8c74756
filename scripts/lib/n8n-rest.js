/**
 * The few calls of n8n's editor REST API (`/rest`) that the tooling needs: create the owner
 * account, log in, and create and publish workflows, exactly as the editor does when a user
 * imports a workflow file and presses Publish. The session cookie is kept per client.
 */
const { randomUUID } = require('node:crypto');

const ALL_EXECUTION_STATUSES = ['success', 'error', 'crashed', 'canceled', 'running', 'new', 'waiting'];

class N8nRestClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		// n8n binds a session to the browser id it was issued for.
		this.browserId = randomUUID();
	}

	async request(method, path, body) {
		const send = () =>
			fetch(`${this.baseUrl}/rest${path}`, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': this.browserId,
					...(this.cookie ? { cookie: this.cookie } : {}),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let response;
		try {
			response = await send();
		} catch (error) {
			// n8n closes a keep-alive connection after 5 s idle; a caller whose event loop was busy
			// longer (a bench reading back large executions) sends into the closed one and gets "other side
			// closed" before n8n saw the request. A read is safe to send again, on a new connection.
			if (method !== 'GET' || error.cause?.code !== 'UND_ERR_SOCKET') throw error;
			response = await send();
		}
		const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!response.ok) {
			const error = new Error(`n8n ${method} /rest${path} answered ${response.status}: ${json?.message ?? text.slice(0, 300)}`);
			error.status = response.status;
			throw error;
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	/** True when the instance still waits for its owner account. */
	async needsOwnerSetup() {
		const settings = await this.request('GET', '/settings');
		return settings?.userManagement?.showSetupOnFirstLoad === true;
	}

	/** Creates the owner account on a fresh instance and logs in as it; logs in if it exists. */
	async ensureOwner(owner) {
		if (await this.needsOwnerSetup()) {
			await this.request('POST', '/owner/setup', owner);
		} else {
			await this.login(owner.email, owner.password);
		}
	}

	async login(email, password) {
		await this.request('POST', '/login', { emailOrLdapLoginId: email, password });
	}

	async workflowExists(id) {
		const result = await this.request('GET', `/workflows/${encodeURIComponent(id)}/exists`);
		return result?.exists === true;
	}

	/** Creates a workflow from an exported workflow file's content (keeping its id). */
	async createWorkflow(workflow) {
		const { id, name, nodes, connections, settings, pinData, meta } = workflow;
		return await this.request('POST', '/workflows', { id, name, nodes, connections, settings, pinData, meta });
	}

	/** Creates a credential ({ name, type, data }) as the editor's credential dialog does; returns { id, name, ... }. */
	async createCredential({ name, type, data }) {
		return await this.request('POST', '/credentials', { name, type, data });
	}

	/**
	 * How many executions of a workflow have one of `statuses`: the executions list's own count
	 * (exact on this scale; n8n estimates only past 100,000 rows on PostgreSQL).
	 */
	async countExecutions(workflowId, statuses = ALL_EXECUTION_STATUSES) {
		const query = new URLSearchParams({ limit: '1', filter: JSON.stringify({ workflowId, status: statuses }) });
		const page = await this.request('GET', `/executions?${query}`);
		if (page.estimated || typeof page.count !== 'number' || page.count < 0) {
			throw new Error(`n8n gave no exact execution count: ${JSON.stringify({ count: page.count, estimated: page.estimated })}`);
		}
		return page.count;
	}

	/**
	 * Summaries ({ id, status, mode, startedAt, stoppedAt, ... }) of every execution of a workflow
	 * whose status is one of `statuses`, each once.
	 *
	 * Not through the list's own `nextCursor`: n8n 2.41 sorts a page by start time but continues
	 * after the cursor by id (`id < last id of the page`), and in queue mode workers start
	 * executions out of id order, so following it skips some executions and repeats others. Pages
	 * are taken by start time instead (`startedBefore` the oldest start seen, inclusive), repeats
	 * dropped by id, and the result is checked against the list's exact count.
	 */
	async listExecutions(workflowId, statuses = ALL_EXECUTION_STATUSES) {
		const byId = new Map();
		const count = await this.countExecutions(workflowId, statuses);
		let startedBefore;
		for (;;) {
			const filter = { workflowId, status: statuses, ...(startedBefore ? { startedBefore } : {}) };
			const query = new URLSearchParams({ limit: '100', filter: JSON.stringify(filter) });
			const page = await this.request('GET', `/executions?${query}`);
			let added = 0;
			for (const summary of page.results) {
				if (byId.has(summary.id)) continue;
				byId.set(summary.id, summary);
				added++;
			}
			if (page.results.length < 100) break;
			if (added === 0) throw new Error(`More than 100 executions of workflow ${workflowId} started at ${startedBefore}: cannot page past them`);
			const oldest = page.results[page.results.length - 1];
			startedBefore = oldest.startedAt ?? oldest.createdAt;
		}
		const all = [...byId.values()];
		if (all.length !== count) {
			throw new Error(
				`Listed ${all.length} executions of workflow ${workflowId} but n8n counts ${count} ` +
					'(executions that have not started yet are not paged by start time: list them once all have run)',
			);
		}
		return all;
	}

	/** One execution with its data, which n8n sends as a `flatted` string (parse it with the runtime's flatted). */
	async getExecution(id) {
		return await this.request('GET', `/executions/${encodeURIComponent(id)}`);
	}

	/** The logged-in user's personal project, where the editor creates workflows and data tables. */
	async personalProjectId() {
		return (await this.request('GET', '/projects/personal')).id;
	}

	/**
	 * The data table named exactly `name` among those the user can see, or undefined. n8n's list
	 * filters names by a case-insensitive substring, so the exact name is picked from its answer.
	 */
	async findDataTable(name) {
		const query = new URLSearchParams({ skip: '0', take: '100', filter: JSON.stringify({ name }) });
		const page = await this.request('GET', `/data-tables-global?${query}`);
		return page.data.find((table) => table.name === name);
	}

	/** Creates a data table with `columns` ([{ name, type: 'string' | 'number' | 'boolean' | 'date' }]) in a project. */
	async createDataTable(projectId, { name, columns }) {
		return await this.request('POST', `/projects/${encodeURIComponent(projectId)}/data-tables`, { name, columns });
	}

	/** Every row of a data table, as the editor's table view reads them (pages of 1,000). */
	async dataTableRows(projectId, dataTableId) {
		const rows = [];
		for (;;) {
			const query = new URLSearchParams({ skip: String(rows.length), take: '1000' });
			const page = await this.request('GET', `/projects/${encodeURIComponent(projectId)}/data-tables/${encodeURIComponent(dataTableId)}/rows?${query}`);
			rows.push(...page.data);
			if (page.data.length === 0 || rows.length >= page.count) return rows;
		}
	}

	/** Publishes the workflow's current version, as the editor's Publish button does. */
	async publishWorkflow(id, versionId) {
		return await this.request('POST', `/workflows/${encodeURIComponent(id)}/activate`, { versionId });
	}

	/**
	 * n8n 2.x applies a publication asynchronously (an outbox worker activates the triggers);
	 * resolves once every trigger of the version is live, throws with n8n's reason if one failed.
	 */
	async waitUntilPublished(id, versionId, timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.request('GET', `/workflows/${encodeURIComponent(id)}/publication-status`);
			if (status.status === 'published' && (!versionId || status.liveVersionId === versionId)) return status;
			if (status.status === 'failed' || status.status === 'partial') {
				const reasons = status.triggers.filter((trigger) => trigger.status === 'failed').map((trigger) => trigger.errorMessage);
				throw new Error(`Publishing workflow ${id} failed: ${reasons.join('; ')}`);
			}
			if (Date.now() > deadline) throw new Error(`Workflow ${id} was not published within ${timeoutMs} ms (status ${status.status})`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

module.exports = { N8nRestClient };
