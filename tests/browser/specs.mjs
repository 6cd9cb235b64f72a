// specs.mjs — the browser tests: each one a path a person really takes,
// checked on what that person sees. `person` is a beneficiary of the demo
// whose name carries an accent and whom the orientation officer may see
// (chosen by run.mjs through the JSON API, as that officer).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, PASSWORD, expectText, expectVisible, mainText } from './lib.mjs';
import { tests as orientationTests } from './orientation.test.mjs';
import { tests as portfolioTests } from './portfolio.test.mjs';
import { tests as sessionTests } from './sessions.test.mjs';

// A date as the page may show it: ISO (2017-01-31) or French (31/01/2017).
function dateShown(iso) {
	const [y, m, d] = iso.split('-');
	return new RegExp(`${iso}|${d}/${m}/${y}`);
}

export const tests = [
	{
		name: 'le chargé d\'orientation se connecte, trouve une personne tapée sans accent et ouvre son dossier',
		async run(s, person) {
			const page = await s.newPage();
			await s.goto(page, '/login');
			await expectText(page.getByRole('heading', { level: 1 }), 'Connexion à Parcours');
			await s.shot(page, 'connexion.png');
			await s.signIn(page, ACCOUNTS.orientation, { shot: 'accueil-charge-orientation.png' });
			await expectText(page.locator('main'), /Chargé.? d.orientation/i);

			// From the home page's card, as a person would.
			await s.clickTo(page, page.locator('main a[href="/people"]').first());
			const box = page.locator('main input[name="q"]');
			await expectVisible(box, 'the search field');
			await box.fill(person.query);
			await s.navigation(page, () => box.press('Enter'));
			await s.arrive(page);
			assert.match(page.url(), /[?&]q=/, 'the search is in the URL');
			const link = page.locator(`main table a[href="/people/${person.id}"]`);
			await expectVisible(link, `a link to ${person.id} in the results table`);
			const row = page.locator('main table tr')
				.filter({ has: page.locator(`a[href="/people/${person.id}"]`) });
			await expectText(row, person.last_name);
			await expectText(row, person.first_name);
			await s.shot(page, 'recherche-resultats.png');

			await s.clickTo(page, link.first());
			assert.equal(new URL(page.url()).pathname, `/people/${person.id}`);
			const h1 = page.getByRole('heading', { level: 1 });
			await expectText(h1, person.last_name);
			await expectText(h1, person.first_name);
			// The RSA right history: a section about rights, each period's
			// state and start date.
			await expectVisible(page.getByRole('heading', { name: /droit/i }), 'a heading about the RSA rights');
			const file = await s.json(page, `/people/${person.id}`);
			assert.ok(file.rights.length > 0, 'the demo person has a right history');
			// Lower case: DSFR badges are shown in capitals (CSS).
			const text = (await mainText(page)).toLowerCase();
			for (const r of file.rights) {
				assert.ok(text.includes(r.state_label.toLowerCase()), `right state "${r.state_label}" shown`);
				assert.match(text, dateShown(r.start), `right start ${r.start} shown`);
			}
			await s.shot(page, 'dossier-personne.png');
		},
	},
	{
		name: 'le référent ne trouve pas cette personne et son adresse directe répond « Page introuvable »',
		async run(s, person) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.referent, { shot: 'accueil-referent.png' });
			await s.clickTo(page, page.locator('main a[href="/people"]').first());
			const box = page.locator('main input[name="q"]');
			await box.fill(person.query);
			await s.navigation(page, () => box.press('Enter'));
			await s.arrive(page);
			assert.equal(await page.locator(`main a[href="/people/${person.id}"]`).count(), 0,
				'no link to the person');
			assert.ok(!(await mainText(page)).includes(person.last_name), 'the name is not shown');
			await expectText(page.locator('main'), /Aucune personne|\b0 résultat/);
			await s.shot(page, 'recherche-sans-resultat.png');

			await s.goto(page, `/people/${person.id}`, 404);
			await expectText(page.getByRole('heading', { level: 1 }), 'Page introuvable');
			assert.ok(!(await mainText(page)).includes(person.last_name), 'the 404 does not leak the name');
			await s.shot(page, 'erreur-404.png');
		},
	},
	{
		name: 'l\'administrateur consulte les comptes et voit dans le journal d\'audit l\'ouverture du dossier ; la chargée d\'études reçoit « Accès refusé »',
		async run(s, person, ctx) {
			// The officer's reading, made here too so that this test does
			// not depend on the first one.
			await ctx.officerReads(person.id);

			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.admin, { shot: 'accueil-administrateur.png' });
			await s.clickTo(page, page.getByRole('navigation', { name: 'Menu principal' })
				.getByRole('link', { name: 'Comptes' }));
			assert.equal(new URL(page.url()).pathname, '/users');
			await expectVisible(page.locator('main table'), 'the accounts table');
			await s.shot(page, 'comptes.png', { maxHeight: 1300 });
			const box = page.locator('main input[name="q"]');
			await box.fill('berard');
			await s.navigation(page, () => box.press('Enter'));
			await s.arrive(page);
			await expectText(page.locator('main table'), ACCOUNTS.orientation);

			await s.clickTo(page, page.getByRole('navigation', { name: 'Menu principal' })
				.getByRole('link', { name: 'Journal d\'audit' }));
			assert.equal(new URL(page.url()).pathname, '/audit');
			await s.shot(page, 'journal-audit.png', { maxHeight: 1300 });
			// The filter a person uses to answer "who opened this file?".
			await page.getByLabel('Personne concernée').fill(person.id);
			await page.getByLabel(/^Action/).fill('person.read');
			await s.clickTo(page, page.getByRole('button', { name: 'Filtrer' }));
			// Other tests running meanwhile may add their own readings.
			const entry = page.locator('main table tr')
				.filter({ hasText: 'person.read' }).filter({ hasText: person.id })
				.filter({ hasText: /u-demo-orientation-officer|orientation-officer@|Bérard/ });
			await expectVisible(entry, `the orientation officer's person.read row for ${person.id}`);
			await s.shot(page, 'journal-audit-filtre.png');

			const analyst = await s.newPage();
			await s.signIn(analyst, ACCOUNTS.analyst, { shot: 'accueil-pilotage.png' });
			await s.goto(analyst, '/users', 403);
			await expectText(analyst.getByRole('heading', { level: 1 }), 'Accès refusé');
			await s.shot(analyst, 'erreur-403.png');
		},
	},
	{
		name: 'au clavier : « Contenu » est le premier lien, Tab mène à l\'adresse, au mot de passe puis au bouton, Entrée connecte',
		async run(s) {
			const page = await s.newPage();
			await s.goto(page, '/login');
			const focused = () => page.evaluate(() => {
				const e = document.activeElement;
				return { tag: e.tagName, id: e.id, text: e.textContent.trim(), href: e.getAttribute('href') };
			});
			await page.keyboard.press('Tab');
			const first = await focused();
			assert.deepEqual([first.text, first.href], ['Contenu', '#contenu'], 'first focusable element');

			const seen = [];
			for (let i = 0; i < 10 && (await focused()).id !== 'email'; i++) {
				await page.keyboard.press('Tab');
				seen.push(await focused());
			}
			assert.equal((await focused()).id, 'email', `Tab reaches the e-mail field (went through ${seen.map((f) => f.id || f.text).join(', ')})`);
			await page.keyboard.type(ACCOUNTS.referent);
			await page.keyboard.press('Tab');
			assert.equal((await focused()).id, 'password', 'then the password field');
			await page.keyboard.type(PASSWORD);
			await page.keyboard.press('Tab');
			const button = await focused();
			assert.deepEqual([button.tag, button.text], ['BUTTON', 'Se connecter'], 'then the button');
			await s.navigation(page, () => page.keyboard.press('Enter'));
			await s.arrive(page);
			assert.equal(new URL(page.url()).pathname, '/');
			await expectText(page.getByRole('heading', { level: 1 }), /^Bonjour /);

			// Signed in, the skip link is still first and moves the focus
			// to the content.
			await page.keyboard.press('Tab');
			assert.equal((await focused()).text, 'Contenu', 'skip link first on the home page');
			await page.keyboard.press('Enter');
			await page.waitForFunction(() => document.activeElement?.id === 'contenu', null, { timeout: 2000 })
				.catch(() => assert.fail('Enter on "Contenu" does not move the focus to the content'));
		},
	},
	{
		name: 'l\'administrateur saisit une date de naissance impossible : le message est à côté du champ et la saisie est gardée',
		async run(s, person) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.admin);
			await s.goto(page, `/people/${person.id}`);
			const before = await s.json(page, `/people/${person.id}`);
			await s.clickTo(page, page.locator(`main a[href="/people/${person.id}/edit"]`).first());
			const form = page.locator(`form[action="/people/${person.id}/edit"]`);
			await expectVisible(form, 'the edit form');
			await page.locator('#f-phone').fill('04 78 12 34 56');
			await page.locator('#f-address').fill('12 rue de la République, 69100 Villeurbanne');
			// A person born in 2030: the date input takes it, the rules refuse it.
			await page.locator('#f-birth_date').fill('2030-02-14');
			await s.clickTo(page, form.locator('[type="submit"]').last(), 422);

			const error = page.locator('#f-birth_date-error');
			await expectText(error, /futur/);
			assert.equal(await page.locator('#f-birth_date').getAttribute('aria-describedby'),
				'f-birth_date-error', 'the message is tied to the field');
			const group = page.locator('.fr-input-group').filter({ has: page.locator('#f-birth_date') });
			assert.equal(await group.locator('#f-birth_date-error').count(), 1, 'the message sits next to the field');
			assert.equal(await page.locator('#f-birth_date').inputValue(), '2030-02-14', 'typed date kept');
			assert.equal(await page.locator('#f-phone').inputValue(), '04 78 12 34 56', 'typed phone kept');
			assert.equal(await page.locator('#f-address').inputValue(), '12 rue de la République, 69100 Villeurbanne', 'typed address kept');
			assert.equal(await page.locator('#f-last_name').inputValue(), person.last_name, 'other values kept');
			await s.shot(page, 'formulaire-erreur.png');

			const after = await s.json(page, `/people/${person.id}`);
			assert.equal(after.person.birth_date, before.person.birth_date, 'nothing was saved');
		},
	},
	{
		name: 'l\'administrateur ouvre le formulaire « Nouveau compte » depuis la liste des comptes',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.admin);
			await s.goto(page, '/users');
			await s.clickTo(page, page.locator('main a[href="/users/new"]').first());
			await expectText(page.getByRole('heading', { level: 1 }), 'Nouveau compte');
			for (const f of ['email', 'first_name', 'last_name', 'organisation'])
				await expectVisible(page.locator(`#f-${f}`), `the ${f} field`);
			await s.shot(page, 'compte-nouveau.png');
		},
	},
	{
		name: 'la secrétaire d\'instance change son mot de passe avec une confirmation différente : le message est à côté du champ',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.secretary, { shot: 'accueil-secretariat.png' });
			await s.clickTo(page, page.getByRole('link', { name: 'Mot de passe' }));
			await expectText(page.getByRole('heading', { level: 1 }), 'Changer de mot de passe');
			// By id: "Nouveau mot de passe" is also part of the confirmation's label.
			await page.locator('#current').fill(PASSWORD);
			await page.locator('#new').fill('Vaulx-en-Velin 2018');
			await page.locator('#confirm').fill('Vaulx-en-Velin 2019');
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer' }), 422);
			const group = page.locator('.fr-input-group').filter({ has: page.locator('#confirm') });
			await expectText(group.locator('.fr-error-text'), /diffèrent/);
			await s.shot(page, 'mot-de-passe-erreur.png');
		},
	},
	{
		name: 'les autres rôles se connectent : leur rôle est affiché et ils ne voient encore aucun dossier',
		async run(s) {
			const roles = [
				['programme-manager@demo.parcours.fr', 'Chargé de mission programmes', 'accueil-charge-mission.png'],
				['clee@demo.parcours.fr', 'Chargé de liaison entreprise emploi', 'accueil-clee.png'],
				['clause-facilitator@demo.parcours.fr', 'Facilitateur clauses sociales', 'accueil-facilitateur-clauses.png'],
				['faj-officer@demo.parcours.fr', 'Gestionnaire FAJ', 'accueil-gestionnaire-faj.png'],
			];
			for (const [email, label, shot] of roles) {
				const page = await s.newPage();
				await s.signIn(page, email);
				await expectText(page.locator('main'), label);
				// Their links to people arrive with the path (orientation,
				// contracts, instances…): none today, and the page says so.
				await expectText(page.locator('main'), /consulter\s+0\s+dossier/);
				await s.shot(page, shot);
			}
		},
	},
	{
		name: 'le chargé d\'orientation télécharge le résultat de sa recherche en CSV et en Excel',
		async run(s, person) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.orientation);
			await s.clickTo(page, page.locator('main a[href="/people"]').first());
			const box = page.locator('main input[name="q"]');
			await box.fill(person.query);
			await s.navigation(page, () => box.press('Enter'));
			await s.arrive(page);

			const csv = await download(page, page.getByRole('link', { name: /CSV/ }));
			assert.match(csv.name, /\.csv$/, 'a .csv file');
			const text = csv.bytes.toString('utf8');
			assert.ok(text.startsWith('\ufeff'), 'UTF-8 with a BOM, for spreadsheets');
			const lines = text.slice(1).trim().split(/\r?\n/);
			assert.match(lines[0], /^Nom;Prénom;/, 'the header line, separated by ;');
			assert.ok(lines.some((l) => l.startsWith(`${person.last_name};${person.first_name};`)),
				`${person.last_name} in the file, with the accents`);

			const xlsx = await download(page, page.getByRole('link', { name: /Excel/ }));
			assert.match(xlsx.name, /\.xlsx$/, 'a .xlsx file');
			assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an Office Open XML (zip) file');
		},
	},
];

// Clicks a download link and returns the file's name and content.
tests.push({
	name: 'le chargé d\'orientation ouvre la liste des personnes soumises aux droits et devoirs, puis le rapport d\'un import CAF',
	async run(s) {
		const page = await s.newPage();
		await s.signIn(page, ACCOUNTS.orientation);
		await s.clickTo(page, page.locator('main a[href="/people?sdd=1"]').first());
		await expectText(page.getByRole('heading', { level: 1 }), /droits et devoirs/);
		assert.ok(await page.locator('main input[name="sdd"]').isChecked(), 'the SDD box is ticked');
		await s.shot(page, 'personnes-sdd.png');

		await s.goto(page, '/');
		await s.clickTo(page, page.locator('main a[href="/imports"]').first());
		await expectText(page.getByRole('heading', { level: 1 }), 'Imports de fichiers');
		const report = page.locator('main table a[href^="/imports/caf/"]');
		await expectVisible(report, 'a link to the CAF import report');
		await s.shot(page, 'imports.png');
		await s.clickTo(page, report.first());
		await expectText(page.getByRole('heading', { level: 1 }), /Rapport d.import/);
		await expectVisible(page.getByRole('heading', { name: /Foyers rejetés/ }), 'the rejections heading');
		await s.shot(page, 'import-rapport.png');
	},
});

async function download(page, link) {
	const [d] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
	const path = await d.path();
	return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

// The orientation officer's screens (orientation.test.mjs).
tests.push(...orientationTests);
// The référent's caseload, path and contract form (portfolio.test.mjs).
tests.push(...portfolioTests);
// Collective sessions (sessions.test.mjs).
tests.push(...sessionTests);
