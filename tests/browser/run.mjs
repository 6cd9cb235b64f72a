// run.mjs — the browser tests (`make test-browser`, run from the top of the
// repository): a demo database in a temporary directory, ONE server on a
// free port, Debian's chromium driven by playwright-core, the tests of
// specs.mjs (two at a time), axe-core on every page they reach, and the user
// guide's screenshots (docs/guide/img/) taken on the way so that they never
// go stale. Builds nothing: `make` has built ./parcours and static/.
//
// Prints "browser: N passed, N failed" last, appends "pass N" / "fail N" to
// $RESULTS (the convention of tests/run-unit.sh), exits 1 if anything failed.
//
// Environment: PARCOURS_BIN another binary (default ./parcours);
// BROWSER_JOBS how many tests run at a time (default 2); BROWSER_TIMES=1
// prints how long each sign-in, axe check and screenshot took;
// BROWSER_STACKS=1 adds the stack of script errors seen in the page.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ACCOUNTS, Session, axeReport, fold } from './lib.mjs';
import { tests } from './specs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// PARCOURS_BIN: another build of the same sources (build/parcours while
// ./parcours is busy, build-san/parcours for the sanitizers).
const BIN = process.env.PARCOURS_BIN ? resolve(process.env.PARCOURS_BIN) : join(ROOT, 'parcours');
const SHOTS = join(ROOT, 'docs', 'guide', 'img');
const TODAY = '2017-12-31';
const TEST_TIMEOUT = 60000;
const CONCURRENCY = Number(process.env.BROWSER_JOBS) || 2;

let server = null;
let serverErr = '';
let tmp = null;
let browser = null;

function log(s) {
	process.stdout.write(`${s}\n`);
}

function cli(...args) {
	return execFileSync(BIN, ['--db', join(tmp, 'db'), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, PARCOURS_TODAY: TODAY },
	});
}

// Starts the server and resolves with its base URL, read from the line it
// prints once it listens.
function startServer() {
	return new Promise((resolve, reject) => {
		server = spawn(BIN, ['--db', join(tmp, 'db'), 'serve', '--port', '0', '--static', 'static'], {
			cwd: ROOT,
			env: { ...process.env, PARCOURS_TODAY: TODAY },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}${serverErr}`)), 15000);
		server.stdout.on('data', (d) => {
			out += d;
			const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		server.stderr.on('data', (d) => {
			serverErr += d;
			if (serverErr.length > 200000)
				serverErr = serverErr.slice(-100000);
		});
		server.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the server stopped (exit ${code}): ${serverErr}`));
		});
	});
}

async function stopServer() {
	if (!server || server.exitCode !== null)
		return;
	const gone = new Promise((r) => server.once('exit', r));
	server.kill('SIGTERM');
	const t = setTimeout(() => server.kill('SIGKILL'), 5000);
	await gone;
	clearTimeout(t);
}

async function cleanup() {
	if (browser)
		await browser.close().catch(() => {});
	await stopServer().catch(() => {});
	if (tmp)
		rmSync(tmp, { recursive: true, force: true });
}

// The JSON API as the orientation officer (a bearer token, as scripts do).
function api(base, token) {
	return async (path) => {
		const r = await fetch(base + path, {
			headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
		});
		if (r.status !== 200)
			throw new Error(`GET ${path} as the orientation officer answered ${r.status}`);
		return r.json();
	};
}

/*
 * The person the tests look for: the first one the orientation officer may
 * see whose last name carries an accent and is the only one of that name
 * in the officer's view (one result row). Typed without accent, capitalised
 * as people do ("Guérin" → "Guerin"). The demo is seeded, so this is the
 * same person on every run.
 */
async function pickPerson(get) {
	const rows = [];
	for (let page = 1; ; page++) {
		const j = await get(`/people?page=${page}`);
		rows.push(...j.rows);
		if (page >= j.pages)
			break;
	}
	const byName = new Map();
	for (const r of rows)
		byName.set(fold(r.last_name), (byName.get(fold(r.last_name)) ?? 0) + 1);
	const p = rows.find((r) => fold(r.last_name) !== r.last_name.toLowerCase() &&
		byName.get(fold(r.last_name)) === 1 && /^[a-z]+$/.test(fold(r.last_name)));
	if (!p)
		throw new Error(`no accented, unique last name among the ${rows.length} people the officer sees`);
	const typed = fold(p.last_name);
	const found = await get(`/people?q=${encodeURIComponent(typed)}`);
	if (!found.rows.some((r) => r.id === p.id))
		throw new Error(`the API does not find ${p.last_name} by "${typed}"`);
	return { ...p, query: typed[0].toUpperCase() + typed.slice(1) };
}

// Runs one test with its time limit; problems collected along the way
// (accessibility, CSP, script errors) fail it too.
async function runOne(t, { browser, base, person, ctx }) {
	const s = new Session({ browser, base, shots: SHOTS, serverLog: () => serverErr });
	const t0 = Date.now();
	let error = null;
	let timer;
	try {
		await Promise.race([
			t.run(s, person, ctx),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT / 1000} s`)), TEST_TIMEOUT);
			}),
		]);
	} catch (e) {
		error = e;
	} finally {
		clearTimeout(timer);
		await s.close();
	}
	const details = [];
	if (error)
		details.push(...(error.message || String(error)).split('\n').slice(0, 6));
	details.push(...s.problems);
	return { ok: !error && s.problems.length === 0, ms: Date.now() - t0, details };
}

async function main() {
	const started = Date.now();
	let passed = 0;
	let failed = 0;

	for (const need of [BIN, join(ROOT, 'static', 'dsfr', 'dsfr.min.css')])
		if (!existsSync(need))
			throw new Error(`${need} is missing: run make first`);
	tmp = mkdtempSync(join(tmpdir(), 'parcours-browser-'));
	cli('demo', '--households', '300');
	// The demo's CAF flux, for the import report pages (exit 1 when it
	// rejects a household: the report is what is looked at).
	try {
		cli('import-caf', 'demo/caf-sample-2017-12.xml');
	} catch (e) {
		if (e.status !== 1)
			throw e;
	}
	const token = cli('user', 'token', ACCOUNTS.orientation).trim();
	const base = await startServer();
	const get = api(base, token);
	const person = await pickPerson(get);
	log(`# server ${base}; the person looked for: ${person.first_name} ${person.last_name} (${person.id}), typed "${person.query}"`);

	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			// The date inputs show "jj/mm/aaaa" as a French person sees them.
			'--lang=fr-FR'],
		env: { ...process.env, LANGUAGE: 'fr_FR', LANG: 'fr_FR.UTF-8' },
	});
	const ctx = { officerReads: (id) => get(`/people/${id}`) };

	// Two tests at a time, each in its own browser contexts: they share
	// nothing but the server, and the run stays well under its budget.
	const results = new Array(tests.length);
	let next = 0;
	const worker = async () => {
		while (next < tests.length) {
			const i = next++;
			results[i] = await runOne(tests[i], { browser, base, person, ctx });
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	for (const [i, r] of results.entries()) {
		if (r.ok) {
			passed++;
			log(`ok ${i + 1} - ${tests[i].name} (${r.ms} ms)`);
			continue;
		}
		failed++;
		log(`not ok ${i + 1} - ${tests[i].name} (${r.ms} ms)`);
		for (const line of r.details)
			log(`    ${line}`);
	}

	if (axeReport.serious.size) {
		log('# axe-core, serious or critical (these fail the tests above):');
		for (const line of axeReport.serious.values())
			log(`#   ${line}`);
	}
	if (axeReport.minor.size) {
		log('# axe-core warnings (moderate or minor):');
		for (const line of axeReport.minor.values())
			log(`#   ${line}`);
	}
	if (!axeReport.serious.size && !axeReport.minor.size)
		log('# axe-core: no violation on the pages reached');
	log(`# ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in docs/guide/img/`);
	return { passed, failed };
}

// Ctrl-C or a CI timeout: the server and the browser go too.
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => cleanup().finally(() => process.exit(130)));

let result;
try {
	result = await main();
} catch (e) {
	log(`not ok - setup: ${e.stack || e}`);
	result = { passed: 0, failed: tests.length };
} finally {
	await cleanup();
}
log(`browser: ${result.passed} passed, ${result.failed} failed`);
if (process.env.RESULTS)
	appendFileSync(process.env.RESULTS, `pass ${result.passed}\nfail ${result.failed}\n`);
process.exit(result.failed ? 1 : 0);
