// portfolio.test.mjs — browser tests of the référent's caseload ("Mon
// portefeuille"), a person's path and the contract form, in the shape of
// specs.mjs (`tests`, each { name, run(s, person, ctx) }), so that run.mjs
// runs them (specs.mjs adds them to its list) with the same server, axe-core
// check and screenshots.
import assert from 'node:assert/strict';
import { ACCOUNTS, expectText, expectVisible, mainText } from './lib.mjs';

export const tests = [
	{
		name: 'le référent ouvre son portefeuille, filtre ce qui est à traiter et ouvre un parcours',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.referent);
			await s.goto(page, '/portfolio');
			await expectText(page.getByRole('heading', { level: 1 }), 'Mon portefeuille');
			const mine = await s.json(page, '/portfolio');
			assert.ok(mine.total > 0, 'the demo référent follows people');
			// The counts: one link per filter, the total first.
			const filters = page.getByRole('list', { name: 'Filtrer le portefeuille' }).getByRole('link');
			assert.equal(await filters.count(), 5, 'five counts');
			await expectText(filters.first(), `Toutes les personnes suivies : ${mine.total}`);
			await expectVisible(page.locator('main table a[href$="/parcours"]'), 'links to the paths');
			await s.shot(page, 'portefeuille.png', { maxHeight: 1600 });

			// A filter keeps only the rows that need that action, each with its badge.
			const busiest = mine.counts.slice(1).sort((a, b) => b.count - a.count)[0];
			await s.clickTo(page, filters.filter({ hasText: busiest.label }));
			assert.match(page.url(), new RegExp(`action=${busiest.code}`));
			const filtered = await s.json(page, `/portfolio?action=${busiest.code}`);
			// (Read again: the other test may add a contract meanwhile.)
			assert.equal(filtered.total, filtered.counts.find((c) => c.code === busiest.code).count,
				'the count is the filtered total');
			const rows = page.locator('main table tbody tr');
			if (filtered.total > 0)
				await expectText(rows.first(), new RegExp(busiest.label, 'i')); // badges are in capitals (CSS)

			// The person's path, newest first.
			await s.clickTo(page, page.locator('main table a[href$="/parcours"]').first());
			await expectText(page.getByRole('heading', { level: 1 }), /^Parcours de /);
			const id = new URL(page.url()).pathname.split('/')[2];
			const path = await s.json(page, `/people/${id}/parcours`);
			const dates = path.entries.map((e) => e.date);
			assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
			await s.shot(page, 'parcours.png', { maxHeight: 1600 });
		},
	},
	{
		name: 'le référent saisit un CER qui chevauche le contrat en cours : le message donne ses dates et la saisie est gardée',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.referent);
			const mine = await s.json(page, '/portfolio');
			const p = mine.rows[0];
			assert.ok(p, 'the demo référent follows someone');
			// A CER from 1 December, then the same one again: the second
			// overlaps the first (or both overlap a CER already there).
			const fill = async () => {
				await s.goto(page, `/people/${p.id}/parcours`);
				await s.clickTo(page, page.getByRole('link', { name: 'Contrat', exact: true }));
				const form = page.locator(`form[action="/people/${p.id}/contracts/new"]`);
				await expectVisible(form, 'the contract form');
				await page.getByLabel('Type de contrat').selectOption('cer');
				for (const f of ['signed_on', 'start'])
					await page.locator(`#f-${f}`).fill('2017-12-01');
				await page.locator('#f-end').fill('2018-05-31');
				await page.locator('label[for="f-actions-housing"]').click(); // DSFR hides the box itself
				return form;
			};
			let form = await fill();
			await s.navigation(page, () => form.locator('[type="submit"]').last().click());
			assert.ok([200, 422].includes(page.lastStatus), `first CER answered ${page.lastStatus}`);
			await s.arrive(page, page.lastStatus);
			form = await fill();
			await s.clickTo(page, form.locator('[type="submit"]').last(), 422);
			const err = page.locator('#f-start-error');
			await expectText(err, /chevauche un autre contrat de la personne, du .* au /);
			assert.equal(await page.locator('#f-end').inputValue(), '2018-05-31', 'the typed end is kept');
			assert.ok(await page.getByLabel('Logement').isChecked(), 'the checked action is kept');
			// The summary links to the field.
			await expectVisible(page.locator('.fr-alert--error a[href="#f-start"]'), 'the summary link');
			assert.ok((await mainText(page)).includes('Rien n\'a été enregistré'));
			await s.shot(page, 'contrat-chevauchement.png');
		},
	},
];

