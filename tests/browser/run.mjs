// The console in a real browser: Debian's Chromium driven by playwright-core (no
// bundled browser), every main page checked with axe-core, one task posted with the
// keyboard alone, the pages at 320 px, and screenshots under target/browser/.
//
// Run by scripts/browser-tests.sh, which starts the service and creates the accounts:
//   BASE_URL, STAFF_EMAIL, VOLUNTEER_EMAIL, PASSWORD, CATEGORY_NAME, SHOTS
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env('BASE_URL');
const shots = env('SHOTS');
const password = env('PASSWORD');
mkdirSync(shots, { recursive: true });

let failures = 0;
const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failures += 1;
    results.push(`FAIL ${name}: ${error.stack || error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * axe-core on the page as it is: no violations of WCAG 2.0/2.1 A and AA, and at least
 * `fewest` rules passed (a small page passes fewer; none at all means axe did not run).
 */
async function axe(page, label, fewest = 11) {
  // evaluate() runs outside the page's CSP, so the page's own policy stays strict.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert(found.length === 0, `axe on ${label}:\n  ${found.join('\n  ')}`);
  assert(result.passes.length >= fewest, `axe on ${label} checked almost nothing (${result.passes.length} rules passed)`);
  await contrast(page, label);
}

/**
 * WCAG 1.4.3 for every button and link, at rest, hovered and focused: axe files text on
 * backgrounds it cannot resolve under "needs review" (white on white buttons passed it), so
 * this computes each ratio itself from the colours the browser applied, against the first
 * ancestor with a background of its own.
 */
async function contrast(page, label) {
  const measure = (el) => {
    const rgba = (s) => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const style = getComputedStyle(el);
    let bg = [255, 255, 255, 1];
    for (let n = el; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) { bg = c; break; }
    }
    const fg = rgba(style.color);
    // A translucent text colour is seen mixed with what is behind it.
    const seen = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [hi, lo] = [lum(seen), lum(bg)].sort((x, y) => y - x);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    return {
      ratio: (hi + 0.05) / (lo + 0.05),
      needed: large ? 3 : 4.5,
      text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40),
      fg: style.color,
      bg: `rgb(${bg.slice(0, 3).join(', ')})`,
    };
  };
  const controls = await page.$$('a, button, .button, input[type="submit"]');
  const bad = [];
  let checked = 0;
  for (const [i, control] of controls.entries()) {
    if (!(await control.isVisible())) continue;
    // Every control at rest; the first 30 also hovered and focused (each state costs a step).
    const states = i < 30 ? ['rest', 'hover', 'focus'] : ['rest'];
    for (const state of states) {
      if (state === 'hover') await control.hover({ timeout: 2000 }).catch(() => {});
      if (state === 'focus') await control.focus().catch(() => {});
      const r = await control.evaluate(measure);
      checked += 1;
      if (r.text && r.ratio < r.needed) {
        bad.push(`${state} "${r.text}": ${r.fg} on ${r.bg} is ${r.ratio.toFixed(2)}:1, needs ${r.needed}:1`);
      }
    }
  }
  await page.mouse.move(0, 0);
  assert(checked > 0, `contrast on ${label} found no button or link`);
  assert(bad.length === 0, `contrast on ${label}:\n  ${bad.join('\n  ')}`);
}

async function noHorizontalScroll(page, label) {
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
  }));
  assert(widths.doc <= widths.view, `${label} scrolls sideways at 320 px: ${widths.doc} > ${widths.view}`);
}

async function api(path, { method = 'GET', token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  const response = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
// The browser's own widgets in en-US (a known datetime-local layout); the pages in bokmål.
const context = await browser.newContext({
  locale: 'en-US',
  timezoneId: 'Europe/Oslo',
  viewport: { width: 1280, height: 900 },
});
await context.addCookies([{ name: 'dugnad_lang', value: 'nb', url: base }]);
const page = await context.newPage();
const cspViolations = [];
page.on('console', (message) => {
  if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
});
let taskUrl = '';
const title = `Handletur ${Date.now()}`;

await step('sign in', async () => {
  await page.goto(`${base}/console/login`);
  await axe(page, 'the login page');
  await page.screenshot({ path: `${shots}/login.png`, fullPage: true });
  await page.getByLabel('E-post').fill(env('STAFF_EMAIL'));
  await page.getByLabel('Passord').fill(password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/console\/tasks/);
  await axe(page, 'the task list');
  await page.screenshot({ path: `${shots}/tasks.png`, fullPage: true });
});

await step('post a task with a private block, keyboard only', async () => {
  await page.goto(`${base}/console/tasks/new`);
  await axe(page, 'the new-task form');
  await page.screenshot({ path: `${shots}/new-task.png`, fullPage: true });
  // From the top of the page, Tab to each field in order and type into it.
  await page.locator('body').focus();
  const tabTo = async (id) => {
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  };
  const outline = async () =>
    page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  await tabTo('title');
  assert((await outline()) !== 'none', 'the focused field shows no focus ring');
  await page.keyboard.type(title);
  await tabTo('description');
  await page.keyboard.type('Handle inn til helgen.');
  await tabTo('category_id');
  await page.keyboard.press('ArrowDown');
  await tabTo('starts_at');
  // en-US datetime-local: month, day, year, hour, minute, AM/PM.
  await page.keyboard.type('05062031');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1000AM');
  const start = await page.locator('#starts_at').inputValue();
  assert(start === '2031-05-06T10:00', `the start typed as ${start}`);
  await tabTo('spots');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await tabTo('private.address');
  await page.keyboard.type('Kongegata 7');
  await tabTo('private.recipient_name');
  await page.keyboard.type('Ingrid Berg');
  // On to the button and Enter.
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    if (text && text.trim() === 'Publiser') break;
  }
  await Promise.all([page.waitForURL(/\/console\/tasks\/[0-9a-f-]{36}/), page.keyboard.press('Enter')]);
  taskUrl = page.url().split('?')[0];
  const body = await page.locator('main').innerText();
  assert(body.includes('Kongegata 7') && body.includes('Ingrid Berg'), 'the private block on the task page');
});

await step('the task is in the list', async () => {
  await page.goto(`${base}/console/tasks`);
  assert(await page.getByRole('link', { name: title }).isVisible(), 'the new task in the list');
});

await step('a volunteer claims it through the API and appears with contact details', async () => {
  const id = taskUrl.split('/').pop();
  const login = await api('/api/v1/auth/login', { method: 'POST', body: { email: env('VOLUNTEER_EMAIL'), password } });
  assert(login.status === 200, `volunteer login: ${login.status}`);
  const token = login.body.access_token;
  const before = await api(`/api/v1/tasks/${id}`, { token });
  assert(before.status === 200 && before.body.private == null, 'no private block before the claim');
  const claim = await api(`/api/v1/tasks/${id}/claim`, { method: 'POST', token, body: {} });
  assert(claim.status === 201, `claim: ${claim.status} ${JSON.stringify(claim.body)}`);
  const after = await api(`/api/v1/tasks/${id}`, { token });
  assert(after.body.private && after.body.private.address === 'Kongegata 7', 'the private block after the claim');
  await page.goto(taskUrl);
  const body = await page.locator('main').innerText();
  assert(body.includes(env('VOLUNTEER_EMAIL')), 'the claimant with their email on the task page');
  await axe(page, 'the task page');
  await page.screenshot({ path: `${shots}/task.png`, fullPage: true });
});

await step('pages reflow at 320 px', async () => {
  await page.setViewportSize({ width: 320, height: 900 });
  for (const [path, label] of [[taskUrl, 'the task page'], [`${base}/console/tasks`, 'the task list'], [`${base}/console/tasks/new`, 'the new-task form']]) {
    await page.goto(path);
    await noHorizontalScroll(page, label);
  }
  await page.goto(taskUrl);
  await page.screenshot({ path: `${shots}/task-320px.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step('an edit on a stale version is refused', async () => {
  await page.goto(`${taskUrl}/edit`);
  const other = await context.newPage();
  await other.goto(`${taskUrl}/edit`);
  await other.getByLabel('Antall plasser').fill('3');
  await other.getByRole('button', { name: 'Lagre' }).click();
  await other.waitForURL(/done=saved/);
  await other.close();
  await page.getByLabel('Tittel').fill(`${title} (endret)`);
  await page.getByRole('button', { name: 'Lagre' }).click();
  const body = await page.locator('main').innerText();
  assert(body.includes('Noen andre har endret oppgaven'), 'the stale form is refused with a clear message');
  await page.goto(taskUrl);
  assert(!(await page.locator('h1').innerText()).includes('(endret)'), 'the stale edit changed nothing');
});

await step('cancel with a reason', async () => {
  await page.goto(taskUrl);
  await page.getByLabel('Grunn til avlysning').fill('Mottakeren er på sykehus');
  await page.getByRole('button', { name: 'Avlys oppgaven' }).click();
  await page.waitForURL(/done=called-off/);
  await page.goto(taskUrl);
  assert((await page.locator('main').innerText()).includes('Avlyst'), 'the task shows as cancelled');
});

await step('post a weekly series and read its dates', async () => {
  await page.goto(`${base}/console/tasks/new`);
  const first = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const day = first.toISOString().slice(0, 10);
  await page.getByLabel('Tittel').fill(`${title} (ukentlig)`);
  await page.getByLabel('Kategori').selectOption({ index: 1 });
  await page.getByLabel('Starttid').fill(`${day}T10:00`);
  await page.getByLabel('Gjentas').selectOption('weekly');
  await page.getByLabel('Antall ganger').fill('4');
  await page.getByLabel('Adresse').fill('Kongegata 7');
  await page.getByRole('button', { name: 'Publiser' }).click();
  await page.waitForURL(/\/console\/series\/[0-9a-f-]{36}\?done=posted/);
  const seriesUrl = page.url().split('?')[0];
  const body = await page.locator('main').innerText();
  assert(body.includes('hver uke, 4 ganger'), `the rule in words: ${body}`);
  const rows = await page.locator('main table tbody tr').count();
  assert(rows === 4, `four dates listed, found ${rows}`);
  await axe(page, 'the series page');
  await page.screenshot({ path: `${shots}/series.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 900 });
  await noHorizontalScroll(page, 'the series page');
  await page.setViewportSize({ width: 1280, height: 900 });
  // A date's own page leads back to the series.
  await page.locator('main table tbody tr a').first().click();
  await page.waitForURL(/\/console\/tasks\/[0-9a-f-]{36}/);
  await page.getByRole('link', { name: /se serien/ }).click();
  await page.waitForURL((u) => u.toString().startsWith(seriesUrl));
});

await step('the English pages and the accessibility statement', async () => {
  await page.getByRole('link', { name: 'English' }).click();
  await page.goto(`${base}/console/accessibility`);
  assert((await page.locator('h1').innerText()) === 'Accessibility statement', 'the statement in English');
  await axe(page, 'the accessibility statement');
  await page.getByRole('link', { name: 'Norsk (bokmål)' }).click();
  await page.goto(`${base}/console/report`);
  await axe(page, 'the report');
  await page.screenshot({ path: `${shots}/report.png`, fullPage: true });
});

await step('sign out, and the session is dead', async () => {
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith('dugnad_session'));
  assert(session && session.httpOnly && session.sameSite === 'Lax', 'an HttpOnly, SameSite=Lax session cookie');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.waitForURL(/\/console\/login/);
  // The old cookie, put back by hand, opens nothing.
  await context.addCookies([{ ...session }]);
  await page.goto(`${base}/console/tasks`);
  assert(page.url().includes('/console/login'), `the old session still opens ${page.url()}`);
});

await step('an admin\'s funding key, user and council pages', async () => {
  const admin = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Oslo' });
  await admin.addCookies([{ name: 'dugnad_lang', value: 'nb', url: base }]);
  const p = await admin.newPage();
  await p.goto(`${base}/console/login`);
  await p.getByLabel('E-post').fill(env('ADMIN_EMAIL'));
  await p.getByLabel('Passord').fill(password);
  await p.getByRole('button', { name: 'Logg inn' }).click();
  await p.waitForURL(/\/console\/tasks/);
  await p.goto(`${base}/console/funding?year=2026`);
  const body = await p.locator('main').innerText();
  assert(body.includes('mangler'), 'councils without a figure show as missing');
  await axe(p, 'the funding key');
  await p.screenshot({ path: `${shots}/funding.png`, fullPage: true });
  await p.goto(`${base}/console/users?q=larvik`);
  assert((await p.locator('main').innerText()).includes('ansatt@larvik.test'), 'the search finds the staff member');
  await axe(p, 'the user list');
  await p.getByRole('link', { name: 'Siri Ansatt' }).click();
  await axe(p, 'a user page');
  await p.goto(`${base}/console/reference`);
  await axe(p, 'the reference data');
  await p.goto(`${base}/console/outbox`);
  await axe(p, 'the outbox');
  await p.goto(`${base}/console/council/overview`);
  await axe(p, 'the meeting overview');
  await p.emulateMedia({ media: 'print' });
  await p.screenshot({ path: `${shots}/overview-print.png`, fullPage: true });
  await p.emulateMedia({ media: 'screen' });
  await p.goto(`${base}/console/council`);
  await axe(p, 'a council page');
  await p.getByLabel('Begrunnelse', { exact: true }).fill('Ingen sjåfører i vinter');
  await p.getByRole('button', { name: 'Fortsett' }).click();
  assert((await p.locator('main').innerText()).includes('Bekreft reservasjonen'), 'the confirmation of an opt-out');
  await axe(p, 'the opt-out confirmation');
  await p.screenshot({ path: `${shots}/council.png`, fullPage: true });
  await admin.close();
});

await step('a coordinator opts the council out, the API refuses a new task there, and a review takes it back', async () => {
  const staffLogin = await api('/api/v1/auth/login', { method: 'POST', body: { email: env('STAFF_EMAIL'), password } });
  const staffToken = staffLogin.body.access_token;
  const categories = await api('/api/v1/categories?limit=100', { token: staffToken });
  const category = categories.body.items.find((c) => c.slug === 'walks-outdoor');
  const council = env('COUNCIL_ID');
  const start = new Date(Date.now() + 5 * 86400000).toISOString();
  const task = await api('/api/v1/tasks', {
    method: 'POST',
    token: staffToken,
    body: { title: 'Tur langs sjøen', description: '', category_id: category.id, council_id: council, starts_at: start, spots: 1 },
  });
  assert(task.status === 201, `posting the task: ${task.status}`);
  const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Oslo' });
  await ctx.addCookies([{ name: 'dugnad_lang', value: 'nb', url: base }]);
  const p = await ctx.newPage();
  await p.goto(`${base}/console/login`);
  await p.getByLabel('E-post').fill(env('COORDINATOR_EMAIL'));
  await p.getByLabel('Passord').fill(password);
  await p.getByRole('button', { name: 'Logg inn' }).click();
  await p.waitForURL(/\/console\/council/);
  await axe(p, "the coordinator's council page");
  await p.getByLabel('Kategori', { exact: true }).selectOption(category.id);
  await p.getByLabel('Begrunnelse', { exact: true }).fill('For få turvenner i vinter');
  await p.getByRole('button', { name: 'Fortsett' }).click();
  const confirm = await p.locator('main').innerText();
  assert(confirm.includes('1 åpne oppgaver som ingen har tatt, trekkes tilbake'), `the confirmation says what will happen: ${confirm}`);
  await p.getByRole('button', { name: 'Reserver utvalget' }).click();
  await p.waitForURL(/done=out/);
  const withdrawn = await api(`/api/v1/tasks/${task.body.id}`, { token: staffToken });
  assert(withdrawn.body.status === 'withdrawn', `the open task is withdrawn: ${withdrawn.body.status}`);
  const refused = await api('/api/v1/tasks', {
    method: 'POST',
    token: staffToken,
    body: { title: 'Ny tur', description: '', category_id: category.id, council_id: council, starts_at: start, spots: 1 },
  });
  assert(refused.status === 409 && refused.body.code === 'council_opted_out', `a new post there: ${refused.status} ${refused.body && refused.body.code}`);
  // The yearly review: take the category back.
  await p.getByLabel('Deltakere').fill('Utvalget og kommunen');
  await p.getByLabel('Tur og friluft').selectOption('opt_in');
  await p.getByRole('button', { name: 'Registrer gjennomgangen' }).click();
  await p.waitForURL(/done=review/);
  const after = await api('/api/v1/tasks', {
    method: 'POST',
    token: staffToken,
    body: { title: 'Ny tur', description: '', category_id: category.id, council_id: council, starts_at: start, spots: 1 },
  });
  assert(after.status === 201, `after the review the council takes the category again: ${after.status}`);
  await p.screenshot({ path: `${shots}/council-coordinator.png`, fullPage: true });
  await ctx.close();
});

await step('an admin creates a staff member, whose set-password email is queued', async () => {
  const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Oslo' });
  await ctx.addCookies([{ name: 'dugnad_lang', value: 'nb', url: base }]);
  const p = await ctx.newPage();
  await p.goto(`${base}/console/login`);
  await p.getByLabel('E-post').fill(env('ADMIN_EMAIL'));
  await p.getByLabel('Passord').fill(password);
  await p.getByRole('button', { name: 'Logg inn' }).click();
  await p.waitForURL(/\/console\/tasks/);
  await p.goto(`${base}/console/users`);
  await p.getByLabel('Navn', { exact: true }).fill('Nora Ny');
  await p.getByLabel('E-post', { exact: true }).fill('nora@larvik.test');
  await p.getByLabel('Tjenesteenhet (for ansatte)').selectOption({ label: 'Hjemmetjenesten Sentrum' });
  await p.getByRole('button', { name: 'Opprett og send e-post' }).click();
  await p.waitForURL(/done=created/);
  assert((await p.locator('main').innerText()).includes('nora@larvik.test'), 'the new user in the list');
  await axe(p, 'the user list after creating');
  await ctx.close();
});

await step('an admin records the confidentiality declaration a volunteer signed', async () => {
  const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Oslo' });
  await ctx.addCookies([{ name: 'dugnad_lang', value: 'nb', url: base }]);
  const p = await ctx.newPage();
  await p.goto(`${base}/console/login`);
  await p.getByLabel('E-post').fill(env('ADMIN_EMAIL'));
  await p.getByLabel('Passord').fill(password);
  await p.getByRole('button', { name: 'Logg inn' }).click();
  await p.waitForURL(/\/console\/tasks/);
  await p.goto(`${base}/console/users?q=${encodeURIComponent(env('VOLUNTEER_EMAIL'))}`);
  await p.getByRole('link', { name: 'Per Frivillig' }).click();
  assert((await p.locator('main').innerText()).includes('Ingen registrert.'), 'no qualification yet');
  await p.getByLabel('Kvalifikasjon', { exact: true }).selectOption({ label: 'Taushetserklæring' });
  await p.getByRole('button', { name: 'Registrer', exact: true }).click();
  await p.waitForURL(/done=recorded/);
  const main = await p.locator('main').innerText();
  assert(main.includes('Taushetserklæring') && main.includes('Gyldig'), 'the declaration is recorded');
  await axe(p, "a volunteer's page with a qualification");
  await p.screenshot({ path: `${shots}/qualifications.png`, fullPage: true });
  await ctx.close();
});

await step('the volunteer web on a phone without JavaScript: feed, claim, private block, release, nynorsk', async () => {
  const staff = await api('/api/v1/auth/login', { method: 'POST', body: { email: env('STAFF_EMAIL'), password } });
  assert(staff.status === 200, `staff login: ${staff.status}`);
  const categories = await api('/api/v1/categories', { token: staff.body.access_token });
  const walk = `Tur langs sjøen ${Date.now()}`;
  const starts = new Date(Date.now() + 5 * 86400e3).toISOString();
  const made = await api('/api/v1/tasks', {
    method: 'POST',
    token: staff.body.access_token,
    body: {
      title: walk, description: 'En rolig tur langs sjøen.', category_id: categories.body.items[0].id,
      council_id: env('COUNCIL_ID'), starts_at: starts, duration_minutes: 60, spots: 1, area_hint: 'Stavern',
      private: { address: 'Strandgata 3', recipient_name: 'Olga Berg' },
    },
  });
  assert(made.status === 201, `post: ${made.status} ${JSON.stringify(made.body)}`);
  const phone = await browser.newContext({
    javaScriptEnabled: false, viewport: { width: 390, height: 844 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo',
  });
  const p = await phone.newPage();
  const thirdParty = [];
  p.on('request', (r) => { if (!r.url().startsWith(base)) thirdParty.push(r.url()); });
  await p.goto(`${base}/`);
  await p.getByRole('link', { name: 'Logg inn' }).first().click();
  await p.getByLabel('E-post').fill(env('VOLUNTEER_EMAIL'));
  await p.getByLabel('Passord').fill(password);
  await p.getByRole('button', { name: 'Logg inn' }).click();
  await p.waitForURL(/\/oppgaver$/);
  await p.screenshot({ path: `${shots}/volunteer-feed.png`, fullPage: true });
  await p.getByRole('link', { name: walk }).click();
  assert(!(await p.locator('main').innerText()).includes('Strandgata 3'), 'no private block before the claim');
  await p.getByRole('button', { name: 'Ta oppdraget' }).click();
  await p.waitForURL(/gjort=tatt/);
  const held = await p.locator('main').innerText();
  assert(held.includes('Strandgata 3') && held.includes('Olga Berg'), 'the private block after the claim');
  await p.screenshot({ path: `${shots}/volunteer-task.png`, fullPage: true });
  await p.getByRole('link', { name: 'Gi fra meg oppdraget' }).click();
  await p.getByRole('button', { name: 'Ja, gi fra meg oppdraget' }).click();
  await p.waitForURL(/gjort=gitt-fra/);
  assert(!(await p.locator('main').innerText()).includes('Strandgata 3'), 'no private block after the release');
  await p.goto(`${base}/profil`);
  await p.getByLabel('Språk').selectOption('nn');
  await p.getByRole('button', { name: 'Lagre' }).click();
  await p.waitForURL(/gjort=lagret/);
  assert((await p.locator('h1').innerText()) === 'Profil' && (await p.locator('html').getAttribute('lang')) === 'nn', 'the pages in nynorsk');
  for (const path of ['/', '/oppgaver', '/mine', '/invitasjoner', '/profil', '/tilgjengelighet']) {
    const r = await p.goto(`${base}${path}`);
    const bytes = (await r.body()).length;
    assert(bytes < 61440, `${path} is ${bytes} bytes`);
    await noHorizontalScroll(p, path);
  }
  assert(thirdParty.length === 0, `requests to other origins: ${thirdParty.join(', ')}`);
  await phone.close();
  // axe needs a script of its own: the same pages in a context that runs one.
  const checked = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  const a = await checked.newPage();
  await a.goto(`${base}/`);
  await axe(a, 'the volunteer start page', 5);
  await a.goto(`${base}/registrer`);
  await axe(a, 'the registration page');
  await a.goto(`${base}/logg-inn`);
  await axe(a, 'the volunteer sign-in page');
  await a.getByLabel('E-post').fill(env('VOLUNTEER_EMAIL'));
  await a.getByLabel('Passord').fill(password);
  await a.getByRole('button', { name: 'Logg inn' }).click();
  await a.waitForURL(/\/oppgaver$/);
  for (const path of ['/oppgaver', `/oppgaver/${made.body.id}`, '/mine', '/invitasjoner', '/profil']) {
    await a.goto(`${base}${path}`);
    await axe(a, `the volunteer page ${path}`);
  }
  await checked.close();
});

await step('no page broke its content security policy', async () => {
  assert(cspViolations.length === 0, cspViolations.join('\n'));
});

await browser.close();
console.log(results.join('\n'));
console.log(`${results.length - failures} passed, ${failures} failed; screenshots in ${shots}`);
process.exit(failures === 0 ? 0 : 1);
