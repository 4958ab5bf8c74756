/**
 * A small driver for n8n's editor in headless Chromium, on scripts/lib/cdp.js: real mouse clicks
 * and key input through the DevTools protocol (Vue's handlers ignore synthetic element.click()
 * on the canvas), elements found by n8n's own data-test-id attributes.
 */
import { writeFileSync } from 'node:fs';

export interface CdpPage {
	send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
	evaluate<T = unknown>(expression: string): Promise<T>;
	navigate(url: string): Promise<void>;
	waitFor(expression: string, timeoutMs?: number): Promise<void>;
	screenshotPng(options?: Record<string, unknown>): Promise<Buffer>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdp = require('../../scripts/lib/cdp') as {
	launchChromium(options: { executable?: string; width?: number; height?: number }): Promise<{ page: CdpPage; close(): Promise<void> }>;
};

/** How often openDropdown clicks a select whose dropdown does not show. */
const DROPDOWN_CLICKS = 3;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page expression for the first visible element matching `selector` (whose text contains `text`). */
function elementExpression(selector: string, text?: string): string {
	return `[...document.querySelectorAll(${JSON.stringify(selector)})].find((element) =>
		element.offsetParent !== null && (${JSON.stringify(text ?? null)} === null || element.innerText.includes(${JSON.stringify(text ?? '')})))`;
}

export class EditorPage {
	private constructor(
		readonly page: CdpPage,
		private readonly browser: { close(): Promise<void> },
		private readonly baseUrl: string,
	) {}

	static async open(baseUrl: string, login: { email: string; password: string }): Promise<EditorPage> {
		const browser = await cdp.launchChromium({ executable: process.env.ENGAGEMENT_SCORE_CHROMIUM ?? 'chromium', width: 1400, height: 900 });
		const editor = new EditorPage(browser.page, browser, baseUrl);
		try {
			await browser.page.navigate(`${baseUrl}/signin`);
			const status = await browser.page.evaluate<number>(`(async () => {
				let browserId = localStorage.getItem('n8n-browserId');
				if (!browserId) { browserId = crypto.randomUUID(); localStorage.setItem('n8n-browserId', browserId); }
				const response = await fetch('/rest/login', {
					method: 'POST', credentials: 'include',
					headers: { 'content-type': 'application/json', 'browser-id': browserId },
					body: JSON.stringify(${JSON.stringify({ emailOrLdapLoginId: login.email, password: login.password })}),
				});
				return response.status;
			})()`);
			if (status !== 200) throw new Error(`logging in to n8n failed with HTTP ${status}`);
		} catch (error) {
			await browser.close();
			throw error;
		}
		return editor;
	}

	async close(): Promise<void> {
		await this.browser.close();
	}

	/** Opens a workflow and waits until its canvas shows `nodeCount` nodes. */
	async openWorkflow(id: string, nodeCount: number): Promise<void> {
		await this.page.navigate(`${this.baseUrl}/workflow/${id}`);
		await this.page.waitFor(`document.querySelectorAll('.vue-flow__node').length >= ${nodeCount}`, 60_000);
		await sleep(1000);
	}

	async waitForElement(selector: string, text?: string, timeoutMs = 30_000): Promise<void> {
		await this.page.waitFor(`Boolean(${elementExpression(selector, text)})`, timeoutMs);
	}

	private async centerOf(selector: string, text?: string): Promise<{ x: number; y: number }> {
		await this.waitForElement(selector, text);
		return await this.page.evaluate(`(() => {
			const element = ${elementExpression(selector, text)};
			element.scrollIntoView({ block: 'center' });
			const box = element.getBoundingClientRect();
			return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
		})()`);
	}

	async click(selector: string, text?: string, clickCount = 1): Promise<void> {
		const { x, y } = await this.centerOf(selector, text);
		await this.page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
		for (let count = 1; count <= clickCount; count++) {
			await this.page.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: count });
			await this.page.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: count });
		}
		await sleep(500);
	}

	/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
	async openNode(name: string): Promise<void> {
		await this.click('.vue-flow__node [data-test-id="canvas-node"]', name, 2);
		await this.waitForElement('[data-test-id="ndv"]');
		await sleep(1000);
	}

	async closeNode(): Promise<void> {
		await this.click('[data-test-id="ndv-close-button"]');
		await sleep(500);
	}

	async type(text: string): Promise<void> {
		await this.page.send('Input.insertText', { text });
		await sleep(1500);
	}

	/** The visible texts of the elements matching `selector`. */
	async texts(selector: string): Promise<string[]> {
		return await this.page.evaluate(
			`[...document.querySelectorAll(${JSON.stringify(selector)})].filter((element) => element.offsetParent !== null).map((element) => element.innerText.trim())`,
		);
	}

	/** A screenshot at 70% size, so the PNGs in docs/ stay small. */
	async screenshot(file: string): Promise<void> {
		const { width, height } = await this.page.evaluate<{ width: number; height: number }>(
			'({ width: window.innerWidth, height: window.innerHeight })',
		);
		writeFileSync(file, await this.page.screenshotPng({ clip: { x: 0, y: 0, width, height, scale: 0.7 } }));
	}

	/** Opens the dropdown of the (first visible) parameter with this name, e.g. a condition's "property". */
	async openDropdown(parameterName: string): Promise<void> {
		const input = `[data-test-id="parameter-input-${parameterName}"] input`;
		await this.click(input);
		// On a slow machine the first click can land before the select listens (CI, 2026-12-03): its
		// dropdown never opened. Click again only while no dropdown shows, since a click on an open
		// one (still loading its options) would close it.
		for (let attempt = 1; attempt < DROPDOWN_CLICKS; attempt++) {
			try {
				await this.waitForElement('.el-select-dropdown', undefined, 10_000);
				break;
			} catch {
				await this.click(input);
			}
		}
		await this.waitForElement('.el-select-dropdown__item', undefined, 60_000);
	}

	/** The texts of the options of the open dropdown (each option's name, without its description). */
	async dropdownOptions(): Promise<string[]> {
		return await this.page.evaluate(`[...document.querySelectorAll('.el-select-dropdown__item')]
			.filter((item) => item.offsetParent !== null)
			.map((item) => (item.querySelector('span')?.innerText ?? item.innerText).trim().split('\\n')[0])`);
	}

	async pickOption(text: string): Promise<void> {
		await this.click('.el-select-dropdown__item', text);
	}

	/** Chooses an option of a dropdown parameter by its text. */
	async choose(parameterName: string, optionText: string): Promise<void> {
		await this.openDropdown(parameterName);
		await this.pickOption(optionText);
	}

	/** Types into an empty text parameter. */
	async fill(parameterName: string, text: string): Promise<void> {
		await this.click(`[data-test-id="parameter-input-${parameterName}"] input`);
		await this.type(text);
	}

	/** Replaces what a text or number parameter holds (a triple click selects it). */
	async replace(parameterName: string, text: string): Promise<void> {
		await this.click(`[data-test-id="parameter-input-${parameterName}"] input`, undefined, 3);
		await this.type(text);
	}

	/** Which of these parameters the panel shows, in the order given. */
	async visibleParameters(parameterNames: readonly string[]): Promise<string[]> {
		const shown = await this.page.evaluate<boolean[]>(
			`${JSON.stringify(parameterNames)}.map((name) => [...document.querySelectorAll('[data-test-id="parameter-input-' + name + '"]')].some((element) => element.offsetParent !== null))`,
		);
		return parameterNames.filter((_, index) => shown[index]);
	}

	/** The help tooltip of the (first visible) parameter labelled `label`, as the editor shows it on hover. */
	async tooltipOf(label: string): Promise<string> {
		const labelSelector = '[data-test-id="input-label"]';
		await this.hover(labelSelector, label);
		await this.hover(`${labelSelector} [data-icon="circle-help"]`, undefined, label);
		await this.waitForElement('[data-test-id="tooltip-content"]');
		return (await this.texts('[data-test-id="tooltip-content"]')).join('\n');
	}

	/** Moves the mouse over an element; `withinText` picks the element inside an ancestor label containing that text. */
	async hover(selector: string, text?: string, withinText?: string): Promise<void> {
		const { x, y } = await this.page.evaluate<{ x: number; y: number }>(`(() => {
			const candidates = [...document.querySelectorAll(${JSON.stringify(selector)})].filter((element) =>
				(${JSON.stringify(text ?? null)} === null || element.innerText.includes(${JSON.stringify(text ?? '')})) &&
				(${JSON.stringify(withinText ?? null)} === null || element.closest('[data-test-id="input-label"]')?.innerText.includes(${JSON.stringify(withinText ?? '')})));
			const element = candidates[0];
			element.scrollIntoView({ block: 'center' });
			const box = element.getBoundingClientRect();
			return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
		})()`);
		await this.page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
		await sleep(800);
	}

	/** The page's HTML, for a failing test's log. */
	async html(selector = 'body'): Promise<string> {
		return await this.page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.outerHTML ?? ''`);
	}
}
