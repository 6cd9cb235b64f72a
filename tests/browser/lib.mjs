// lib.mjs — what every browser test needs: a page that watches itself
// (status of each navigation, CSP violations, script errors, broken assets),
// the accessibility check run on every page a test reaches, screenshots for
// the user guide, and the sign-in path a person follows.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const PASSWORD = 'parcours-demo-2017';
export const ACCOUNTS = {
	orientation: 'orientation-officer@demo.parcours.fr',
	referent: 'referent@demo.parcours.fr',
	secretary: 'instance-secretary@demo.parcours.fr',
	analyst: 'analyst@demo.parcours.fr',
	admin: 'admin@demo.parcours.fr',
};

// The browser waits this long for anything a person would see at once.
export const SHORT = 10000;

const AXE_SOURCE = readFileSync(
	new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

// What people type: no accents, any case ("Hélène" → "helene").
export function fold(s) {
	return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

// Accessibility findings of the whole run, reported once at the end; a
// page reached several times (the sign-in page) is reported once.
export const axeReport = { serious: new Map(), minor: new Map() };

// Pages already checked: the same URL, answer and signed-in person give the
// same page (the sign-in page is reached by every test), so axe runs once.
const axeDone = new Set();

function axeKey(path, v) {
	return `${v.id}|${path}`;
}

/*
 * One test's view of the application. Problems that should not stop the
 * path (an accessibility violation, a CSP report) are collected with
 * soft() and fail the test at its end, so that one run shows them all.
 */
export class Session {
	constructor({ browser, base, shots, serverLog }) {
		this.browser = browser;
		this.base = base;
		this.shots = shots;
		this.serverLog = serverLog;
		this.problems = [];
		this.contexts = [];
	}

	soft(message) {
		this.problems.push(message);
	}

	async newPage() {
		const ctx = await this.browser.newContext({
			viewport: { width: 1280, height: 800 },
			locale: 'fr-FR',
			timezoneId: 'Europe/Paris',
			reducedMotion: 'reduce',
			baseURL: this.base,
		});
		ctx.setDefaultTimeout(SHORT);
		this.contexts.push(ctx);
		const page = await ctx.newPage();
		page.lastStatus = 0;
		page.on('response', (r) => {
			const req = r.request();
			if (req.isNavigationRequest() && r.frame() === page.mainFrame())
				page.lastStatus = r.status();
			else if (r.status() >= 400 && !req.isNavigationRequest())
				this.soft(`asset ${req.url()} answered ${r.status()} (page ${page.url()})`);
		});
		page.on('console', (m) => {
			// The CSP stays enforced during the tests: a report here is a
			// page that relies on an inline script or style.
			if (m.type() === 'error' && /Content Security Policy/.test(m.text()))
				this.soft(`CSP violation on ${page.url()}: ${m.text()}`);
		});
		page.on('pageerror', (e) => this.soft(`script error on ${page.url()}: ${e.message}${process.env.BROWSER_STACKS ? e.stack : ''}`));
		page.on('requestfailed', (r) => {
			if (r.failure()?.errorText !== 'net::ERR_ABORTED')
				this.soft(`request ${r.url()} failed: ${r.failure()?.errorText}`);
		});
		return page;
	}

	async close() {
		for (const c of this.contexts)
			await c.close().catch(() => {});
	}

	// Opens a URL as a person would type it, then checks the page.
	async goto(page, path, status = 200) {
		await page.goto(path);
		await this.arrive(page, status);
	}

	// Does something that loads a new document (a click, Enter in a form)
	// and waits for that document.
	async navigation(page, action) {
		const committed = page.waitForEvent('framenavigated', {
			predicate: (f) => f === page.mainFrame(),
			timeout: 15000,
		});
		await action();
		await committed;
		await page.waitForLoadState('load');
	}

	async clickTo(page, locator, status = 200) {
		await locator.waitFor({ state: 'visible' });
		await this.navigation(page, () => locator.click());
		await this.arrive(page, status);
	}

	// Every page a test reaches: the expected status, then axe-core.
	async arrive(page, status = 200) {
		const path = new URL(page.url()).pathname + new URL(page.url()).search;
		if (page.lastStatus !== status) {
			const hint = page.lastStatus >= 500 ? this.serverHint() : '';
			assert.fail(`${path} answered ${page.lastStatus}, expected ${status}${hint}`);
		}
		// Who is signed in, as the header says (nobody on the sign-in page).
		const who = await page.evaluate(() => document.querySelector('.fr-header__tools')?.innerText ?? '');
		const key = `${page.lastStatus} ${path} ${who}`;
		if (axeDone.has(key))
			return;
		axeDone.add(key);
		await this.axe(page, path);
	}

	serverHint() {
		const lines = this.serverLog().split('\n').filter((l) => l.trim()).slice(-3);
		return lines.length ? `\n      server says: ${lines.join(' | ')}` : '';
	}

	/*
	 * axe-core in the page. page.addScriptTag() injects an inline <script>,
	 * which the application's CSP (script-src 'self') rightly blocks; the
	 * DevTools protocol's evaluation (page.evaluate) is not subject to the
	 * page's CSP, so the check runs without weakening the policy that the
	 * tests also verify (bypassCSP is not used).
	 */
	async axe(page, path) {
		const t0 = Date.now();
		const has = await page.evaluate(() => typeof window.axe === 'object');
		if (!has)
			await page.evaluate(AXE_SOURCE);
		const violations = await page.evaluate(async () => {
			// eslint-disable-next-line no-undef
			const r = await axe.run(document, { resultTypes: ['violations'] });
			return r.violations.map((v) => ({
				id: v.id,
				impact: v.impact,
				help: v.help,
				targets: v.nodes.map((n) => n.target.join(' ')),
			}));
		});
		if (process.env.BROWSER_TIMES)
			process.stdout.write(`# axe ${path} ${Date.now() - t0} ms\n`);
		const shape = path.replace(/\/(p|u|h|org)-[^/?]+/g, '/{id}');
		for (const v of violations) {
			const line = `${v.impact} ${v.id} on ${path}: ${v.help} — ${v.targets.slice(0, 5).join(', ')}${v.targets.length > 5 ? ` (+${v.targets.length - 5})` : ''}`;
			if (v.impact === 'serious' || v.impact === 'critical') {
				this.soft(`axe ${line}`);
				axeReport.serious.set(axeKey(shape, v), line);
			} else {
				axeReport.minor.set(axeKey(shape, v), line);
			}
		}
	}

	// A screenshot for the guide: the whole page, fonts loaded, no focus
	// ring or caret left by the test, at 1280 px wide.
	// Long lists are cut at `maxHeight`: the guide shows their top.
	async shot(page, name, { maxHeight = 2000 } = {}) {
		mkdirSync(this.shots, { recursive: true });
		const t0 = Date.now();
		const height = await page.evaluate(async () => {
			document.activeElement?.blur();
			await document.fonts.ready;
			return document.documentElement.scrollHeight;
		});
		await page.screenshot({
			path: join(this.shots, name),
			fullPage: true,
			clip: { x: 0, y: 0, width: 1280, height: Math.min(height, maxHeight) },
			animations: 'disabled',
			caret: 'hide',
		});
		if (process.env.BROWSER_TIMES)
			process.stdout.write(`# shot ${name} ${Date.now() - t0} ms\n`);
	}

	// The sign-in path: the labelled fields, the button, the home page.
	async signIn(page, email, { shot } = {}) {
		const t0 = Date.now();
		await this.goto(page, '/login');
		await page.getByLabel('Adresse électronique').fill(email);
		await page.getByLabel('Mot de passe').fill(PASSWORD);
		await this.clickTo(page, page.getByRole('button', { name: 'Se connecter' }));
		assert.equal(new URL(page.url()).pathname, '/', `after signing in as ${email}`);
		await expectText(page.getByRole('heading', { level: 1 }), /^Bonjour /);
		if (process.env.BROWSER_TIMES)
			process.stdout.write(`# sign-in ${email} ${Date.now() - t0} ms\n`);
		if (shot)
			await this.shot(page, shot);
	}

	// The JSON answer of a URL, with this page's session (as that user).
	async json(page, path) {
		const r = await page.request.get(path, { headers: { Accept: 'application/json' } });
		assert.equal(r.status(), 200, `GET ${path} (JSON)`);
		return r.json();
	}
}

// Waits until the locator shows text matching `want` (string: contains).
export async function expectText(locator, want, timeout = SHORT) {
	const deadline = Date.now() + timeout;
	let seen = '(nothing)';
	for (;;) {
		if (await locator.count()) {
			seen = (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
			if (typeof want === 'string' ? seen.includes(want) : want.test(seen))
				return seen;
		}
		if (Date.now() > deadline)
			assert.fail(`expected ${want} in ${locator}, saw: ${seen.slice(0, 300)}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

export async function expectVisible(locator, what) {
	try {
		await locator.first().waitFor({ state: 'visible' });
	} catch {
		assert.fail(`not visible: ${what ?? locator}`);
	}
}

// What the main content says, spaces normalised.
export async function mainText(page) {
	return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}
