// orientation.test.mjs — the orientation officer's screens in a browser:
// the queue (deadlines as badges), one person's orientation with a wrong
// itinerary / organisation pair refused next to the field and then saved,
// the notification letter, the référent designation, and a cohort
// orientation with its confirmation, its result and its letters.
// Registered by specs.mjs (tests.push); run by run.mjs with axe-core on
// every page reached and the guide's screenshots.
//
// Each test orients people to Pôle emploi agencies only: the demo's
// référent (an MDM of Villeurbanne) must keep seeing nobody new, which the
// other tests rely on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, expectText, expectVisible, mainText } from './lib.mjs';

// Clicks a download link and returns the file's name and content.
async function download(page, link) {
	const [d] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
	return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

export const tests = [
	{
		name: 'le chargé d\'orientation ouvre sa file, se voit refuser une structure qui ne porte pas l\'itinéraire, oriente la personne, télécharge le courrier et désigne son référent',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.orientation);
			await s.goto(page, '/orientation');
			await expectText(page.getByRole('heading', { level: 1 }), 'File d\'orientation');
			const queue = await s.json(page, '/orientation');
			assert.ok(queue.rows.length > 0, 'the demo officer has someone to orient');
			const p = queue.rows[0];
			const row = page.locator('main table tr').filter({ has: page.locator(`a[href="/people/${p.id}"]`) });
			// Badges are shown in capitals (CSS).
			await expectText(row, new RegExp(p.situation, 'i'));
			await expectVisible(row.locator('.fr-badge'), 'the deadline badge');
			await expectVisible(page.getByLabel(`Sélectionner ${p.last_name} ${p.first_name}`), 'a labelled checkbox');
			await s.shot(page, 'file-orientation.png');

			await s.clickTo(page, row.getByRole('link', { name: /Orienter/ }));
			assert.equal(new URL(page.url()).pathname, `/people/${p.id}/orientation/new`);
			await expectText(page.getByRole('heading', { level: 1 }), p.last_name);
			// Without JavaScript the list of organisations is not yet
			// filtered: a Maison de la Métropole with the professional
			// itinerary is refused, in French, next to the field.
			await page.locator('#f-itinerary').selectOption('professional');
			const mdm = await page.locator('#f-organisation option', { hasText: 'Maison de la Métropole' }).first().getAttribute('value');
			await page.locator('#f-organisation').selectOption(mdm);
			await page.locator('#f-start').fill('2017-12-29');
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer l\'orientation' }), 422);
			const error = page.locator('#f-organisation-error');
			await expectText(error, /ne porte pas l.itinéraire Professionnel/);
			assert.equal(await page.locator('#f-organisation').getAttribute('aria-describedby'), 'f-organisation-error');
			assert.equal(await page.locator('#f-start').inputValue(), '2017-12-29', 'typed date kept');
			assert.equal(await page.locator('#f-itinerary').inputValue(), 'professional', 'typed itinerary kept');
			// The list is now the itinerary's: Pôle emploi agencies only.
			const kinds = await page.locator('#f-organisation option').allInnerTexts();
			assert.ok(kinds.slice(1).every((k) => /Pôle emploi/.test(k)), `only Pôle emploi agencies: ${kinds.join(' | ')}`);
			await s.shot(page, 'orientation-erreur.png');

			await page.locator('#f-organisation').selectOption({ index: 1 });
			await s.clickTo(page, page.getByRole('button', { name: 'Enregistrer l\'orientation' }));
			assert.equal(new URL(page.url()).pathname, '/orientation');
			await expectText(page.locator('.fr-alert--success'), `Orientation enregistrée pour ${p.first_name} ${p.last_name}`);
			assert.equal(await page.locator(`main table a[href="/people/${p.id}"]`).count(), 0, 'the person left the queue');
			await s.shot(page, 'orientation-enregistree.png');

			const letter = await download(page, page.getByRole('link', { name: /courrier de notification/ }));
			assert.equal(letter.name, `orientation-${p.id}.pdf`);
			assert.equal(letter.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

			// The référent, from the same message.
			await s.clickTo(page, page.getByRole('link', { name: /Désigner ou changer le référent/ }));
			await expectText(page.getByRole('heading', { level: 1 }), `Référent de ${p.first_name} ${p.last_name}`);
			await page.locator('#f-referent').selectOption({ index: 1 });
			const chosen = (await page.locator('#f-referent option:checked').innerText()).trim();
			await s.shot(page, 'referent-designation.png');
			await s.clickTo(page, page.getByRole('button', { name: 'Désigner ce référent' }));
			assert.equal(new URL(page.url()).pathname, `/people/${p.id}`);
			await s.goto(page, `/people/${p.id}/referent`);
			await expectText(page.locator('.fr-callout'), `Référent actuel : ${chosen}`);
		},
	},
	{
		name: 'l\'administrateur oriente une cohorte d\'un territoire depuis la file : confirmation, résultat et courriers en un seul PDF',
		async run(s) {
			const page = await s.newPage();
			await s.signIn(page, ACCOUNTS.admin);
			await s.goto(page, '/orientation');
			await page.getByLabel('Territoire').selectOption({ label: 'Lyon 5e-9e' });
			await s.clickTo(page, page.getByRole('button', { name: 'Filtrer' }));
			assert.match(page.url(), /territory=/, 'the filter is in the URL');
			const boxes = page.locator('main table input[name="person"]');
			const n = await boxes.count();
			assert.ok(n >= 2, `at least two people to orient in Lyon 5e-9e (${n})`);
			const names = [];
			for (let i = 0; i < n; i++) {
				const id = await boxes.nth(i).getAttribute('value');
				// The DSFR draws the box on the label: a person clicks there.
				await page.locator(`label[for="sel-${id}"]`).click();
				assert.ok(await boxes.nth(i).isChecked(), `${id} ticked`);
				names.push((await page.locator(`main table a[href="/people/${id}"]`).innerText()).trim());
			}
			await page.locator('#bulk-itinerary').selectOption('professional');
			await page.locator('#bulk-organisation').selectOption({ label: 'Pôle emploi Lyon Gerland — Agence France Travail (Pôle emploi)' });
			await s.clickTo(page, page.getByRole('button', { name: /Orienter la sélection/ }));

			await expectText(page.getByRole('heading', { level: 1 }), 'confirmation');
			const text = await mainText(page);
			for (const name of names)
				assert.ok(text.includes(name), `${name} listed on the confirmation page`);
			await expectText(page.locator('main'), `${n} personne(s) seront orientées`);
			await s.shot(page, 'orientation-groupee-confirmation.png');

			await s.clickTo(page, page.getByRole('button', { name: `Orienter ces ${n} personne(s)` }));
			await expectText(page.getByRole('heading', { level: 1 }), 'résultat');
			await expectText(page.locator('.fr-alert'), `${n} personne(s) orientée(s), 0 refusée(s)`);
			await s.shot(page, 'orientation-groupee-resultat.png');
			const pdf = await download(page, page.getByRole('link', { name: /un PDF pour toute la cohorte/ }));
			assert.match(pdf.name, /^orientations-2017-12-31\.pdf$/);
			assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
		},
	},
];
