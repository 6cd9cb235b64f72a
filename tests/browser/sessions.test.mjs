// sessions.test.mjs — the référent's collective sessions in a browser: the
// list, a new session refused next to its field then saved, registering
// people found by name until the session is full (the refusal says so),
// the attendance sheet, then presence and the survey of a past session
// with its summary. Registered by specs.mjs (tests.push); run by run.mjs
// with axe-core on every page reached and the guide's screenshots.
//
// The demo's référent works at an MDM of Villeurbanne; the session created
// here is in February 2018 (after the demo's "today", 2017-12-31), so
// nothing else of the demo changes but one past session's presence and
// survey.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, expectText, expectVisible, mainText } from './lib.mjs';

async function download(page, link) {
	const [d] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
	return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

// Two people the référent sees, with a last name unique among them.
async function twoPeople(s, page) {
	const j = await s.json(page, '/people');
	const count = new Map();
	for (const r of j.rows)
		count.set(r.last_name, (count.get(r.last_name) ?? 0) + 1);
	const unique = j.rows.filter((r) => count.get(r.last_name) === 1);
	assert.ok(unique.length >= 2, `the demo référent sees two people with a unique name (${j.rows.length} seen)`);
	return unique.slice(0, 2);
}

// Searches a person by name on the session's page and registers them.
async function register(s, page, p, status = 200) {
	const box = page.getByLabel('Nom et prénom de la personne à inscrire');
	await box.fill(p.last_name);
	await s.navigation(page, () => box.press('Enter'));
	await s.arrive(page);
	const button = page.getByRole('button', { name: `Inscrire ${p.first_name} ${p.last_name}` });
	await expectVisible(button, `the button registering ${p.last_name}`);
	await s.clickTo(page, button, status);
}

// Answers one question of a survey form by clicking its label, as people do.
async function answer(form, question, choice) {
	const group = form.getByRole('group', { name: question });
	await group.locator('label', { hasText: new RegExp(`^${choice}$`) }).click();
	assert.ok(await group.getByLabel(choice).isChecked(), `${choice} chosen`);
}

export const tests = [
	{
		name: 'le référent crée une séance collective, corrige le champ signalé, inscrit une personne jusqu\'à la séance complète et imprime la feuille d\'émargement',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.referent);
			await s.goto(page, '/sessions');
			await expectText(page.getByRole('heading', { level: 1 }), 'Séances collectives');
			const list = await s.json(page, '/sessions');
			assert.ok(list.total > 0, 'the demo référent\'s organisation has sessions');
			assert.ok(list.rows[0].upcoming, 'upcoming sessions come first');
			await expectVisible(page.locator('main table a[href^="/sessions/cs-"]'), 'links to the sessions');
			await s.shot(page, 'seances-liste.png');

			await s.clickTo(page, page.getByRole('link', { name: 'Nouvelle séance' }));
			await page.locator('#f-at').fill('2018-02-06');
			await page.locator('#f-time').fill('09:30');
			await page.getByLabel('Nombre de places').fill('1');
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer' }), 422);
			await expectText(page.locator('#f-title-error'), /obligatoire|requis|absent|manquant/i);
			assert.equal(await page.locator('#f-title').getAttribute('aria-describedby'), 'f-title-error');
			assert.equal(await page.locator('#f-at').inputValue(), '2018-02-06', 'typed date kept');
			assert.equal(await page.locator('#f-capacity').inputValue(), '1', 'typed places kept');
			await s.shot(page, 'seance-erreur.png');
			await page.getByLabel('Intitulé').fill('Atelier « Préparer un entretien »');
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer' }));
			assert.match(new URL(page.url()).pathname, /^\/sessions\/cs-/);
			await expectText(page.getByRole('heading', { level: 1 }), 'Préparer un entretien');
			await expectText(page.locator('main'), '6 février 2018 à 9 h 30');

			const [a, b] = await twoPeople(s, page);
			await register(s, page, a);
			const table = page.locator('main table').first();
			await expectText(table, a.last_name);
			await register(s, page, b, 409);
			await expectText(page.getByRole('alert'), 'La séance est complète (1 place)');
			assert.ok(!(await table.innerText()).includes(b.last_name), 'the second person is not registered');
			await s.shot(page, 'seance-complete.png');

			const sheet = await download(page, page.getByRole('link', { name: /Feuille d'émargement/ }));
			assert.match(sheet.name, /^emargement-cs-.*\.pdf$/);
			assert.equal(sheet.bytes.subarray(0, 5).toString(), '%PDF-');
		},
	},
	{
		name: 'le référent note les présences d\'une séance passée et saisit le questionnaire d\'une personne présente',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.referent);
			// A past session where the référent sees someone registered.
			const list = await s.json(page, '/sessions?to=2017-12-30');
			let found = null;
			for (const r of list.rows.filter((x) => x.registered > 0)) {
				const j = await s.json(page, `/sessions/${r.id}`);
				if (j.people.length) {
					found = j;
					break;
				}
			}
			assert.ok(found, 'a past session with someone the référent sees');
			const p = found.people[0];
			await s.goto(page, `/sessions/${found.session_id}`);
			const group = page.getByRole('group', { name: `Présence de ${p.first_name} ${p.last_name}` });
			await expectVisible(group, 'the presence radios of the person');
			await group.getByLabel('Présent(e)').check();
			await s.shot(page, 'seance-presences.png');
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer les présences' }));
			assert.ok(await group.getByLabel('Présent(e)').isChecked(), 'presence saved');

			const answers = page.locator('form').filter({ has: page.getByRole('heading', { name: `Réponses de ${p.first_name} ${p.last_name}` }) });
			if (await answers.count()) {
				await answer(answers, /recherche d'emploi/, 'Oui');
				await answer(answers, /vie personnelle/, 'Non');
				await s.clickTo(page, answers.getByRole('button', { name: /Enregistrer les réponses/ }));
			}
			const anon = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Réponse anonyme' }) });
			await answer(anon, /recherche d'emploi/, 'Oui');
			await s.clickTo(page, anon.getByRole('button', { name: 'Enregistrer la réponse anonyme' }));
			await expectText(page.locator('main table caption').filter({ hasText: 'questionnaire' }), /Résultats du questionnaire \(\d+ réponse/);
			assert.match(await mainText(page), /\d+ \(\d+ %\)/, 'counts and percentages shown');
			await s.shot(page, 'seance-questionnaire.png');
		},
	},
];
