// Demo traffic for examples/budget-tracker: a reproducible crowd of people (seeded) who sign up,
// log in, track expenses, ask for AI tips and sometimes upgrade; then the operator runs the CRM
// sync. Returns the ground truth (who they are, what they agreed to, what they did) for the test.
// All names, emails and phone numbers are invented (555-01xx numbers are reserved for fiction).

const FIRST = ['Marisol', 'Tobias', 'Amara', 'Kenji', 'Lucía', 'Priya', 'Mateo', 'Ingrid', 'Dmitri', 'Aaliyah', 'Oskar', 'Noor',
  'Yusuf', 'Hana', 'Rafael', 'Siobhan', 'Thabo', 'Camille', 'Arjun', 'Freya', 'Emeka', 'Valentina', 'Leif', 'Mei', 'Santiago',
  'Zofia', 'Idris', 'Astrid', 'Kofi', 'Elif', 'Bruno', 'Anouk', 'Tariq', 'Greta', 'Joaquín', 'Sunniva', 'Desmond', 'Paloma',
  'Rohan', 'Maren'];
const LAST = ['Quintero', 'Lindgren', 'Okafor', 'Watanabe', 'Fernández', 'Raghunathan', 'Castellanos', 'Haugland', 'Volkov',
  'Whitfield', 'Bergström', 'Haddad', 'Demir', 'Kobayashi', 'Albuquerque', 'Gallagher', 'Mokoena', 'Delacroix', 'Venkatesan',
  'Halvorsen', 'Nwachukwu', 'Moretti', 'Eriksen', 'Zhang', 'Villalobos', 'Kowalczyk', 'Rahimi', 'Sandvik', 'Asante',
  'Yılmaz', 'Carvalho', 'Verhoeven', 'Siddiqui', 'Lindqvist', 'Echeverría', 'Solberg', 'Abernathy', 'Iglesias', 'Mehta', 'Aune'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'fastmail.com', 'proton.me', 'hey.com'];
const AREA_CODES = ['415', '206', '312', '646', '305', '512', '617', '303', '503', '702'];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const SPENDING = [
  ['rent', 900, 2400, ['rent', 'rent (my share)']], ['groceries', 25, 180, ['Trader Joe\'s', 'farmers market', 'weekly shop']],
  ['dining', 12, 95, ['lunch with the team', 'pizza night', 'brunch']], ['transport', 3, 70, ['bus pass', 'gas', 'rideshare']],
  ['utilities', 40, 160, ['electricity', 'internet', 'phone plan']], ['entertainment', 8, 60, ['streaming', 'concert', 'movies']],
  ['health', 15, 120, ['pharmacy', 'gym', 'dentist co-pay']], ['shopping', 15, 220, ['shoes', 'birthday gift', 'books']],
];

/** mulberry32: a tiny seeded PRNG, so every run meets the same people. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').toLowerCase();

export function makePeople(count, seed = 20261126) {
  const r = rng(seed);
  const pick = (arr) => arr[Math.floor(r() * arr.length)];
  const people = [];
  const usedIncome = new Set();
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7 + 3 + Math.floor(i / LAST.length)) % LAST.length];
    const domain = pick(DOMAINS);
    const style = i % 4;
    const local = style === 0 ? `${ascii(first)}.${ascii(last)}` : style === 1 ? `${ascii(first)}${ascii(last)}${10 + i}` : style === 2 ? `${ascii(first)[0]}${ascii(last)}` : `${ascii(first)}.${ascii(last)}+budget`;
    // Some people type their address with capitals or a stray space; the service normalizes it.
    const typed = i % 5 === 0 ? `${first}.${last}@${domain[0].toUpperCase()}${domain.slice(1)}`.replace(/[^\x20-\x7e]/g, (c) => ascii(c)) : i % 7 === 0 ? ` ${local}@${domain} ` : `${local}@${domain}`;
    const area = AREA_CODES[i % AREA_CODES.length];
    const line = String(100 + ((i * 37) % 100)).padStart(4, '0');
    const phoneStyle = i % 3;
    const phone = phoneStyle === 0 ? `(${area}) 555-${line}` : phoneStyle === 1 ? `${area}-555-${line}` : `+1 ${area} 555 ${line}`;
    let income;
    do income = 1000 * (28 + Math.floor(r() * 200)); while (usedIncome.has(income));
    usedIncome.add(income);
    const year = 1962 + Math.floor(r() * 42);
    const birthdate = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const g = r();
    people.push({
      name: `${first} ${last}`,
      firstName: first,
      emailTyped: typed,
      email: typed.trim().toLowerCase(),
      phone,
      phoneE164: `+1${area}555${line}`,
      birthdate,
      gender: g < 0.46 ? 'female' : g < 0.92 ? 'male' : g < 0.96 ? 'nonbinary' : 'undisclosed',
      income,
      // About a third say no to marketing.
      marketingConsent: i % 3 !== 2,
      password: `pw-${Math.floor(r() * 1e9).toString(36)}-${Math.floor(r() * 1e9).toString(36)}`,
      userAgent: pick(AGENTS),
      fbp: r() < 0.6 ? `fb.1.${1732600000000 + Math.floor(r() * 1e7)}.${1000000000 + Math.floor(r() * 8e9)}` : undefined,
      plan: {
        expenses: 3 + Math.floor(r() * 6),
        mistypesPassword: r() < 0.12,
        asksInsights: r() < 0.65,
        upgrades: r() < 0.25,
        seed: Math.floor(r() * 2 ** 31),
      },
    });
  }
  return people;
}

/** A cookie-keeping JSON client for one person's browser. */
function browser(baseUrl, person, counters) {
  const jar = new Map();
  if (person.fbp) jar.set('_fbp', person.fbp);
  return async (method, path, body) => {
    const headers = { 'user-agent': person.userAgent, accept: 'application/json' };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    counters.requests++;
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    const text = await res.text();
    if (res.status >= 500) counters.errors++;
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

async function livePerson(baseUrl, p, counters) {
  const call = browser(baseUrl, p, counters);
  const r = rng(p.plan.seed);
  const did = { registered: false, logins: 0, failedLogins: 0, expenses: 0, askedInsights: false, upgraded: false, id: undefined };
  const reg = await call('POST', '/api/register', {
    name: p.name, email: p.emailTyped, phone: p.phone, birthdate: p.birthdate, gender: p.gender,
    income: p.income, password: p.password, marketingConsent: p.marketingConsent,
  });
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}: ${JSON.stringify(reg.body)}`);
  did.registered = true;
  did.id = reg.body.id;
  // They come back later: log out, log in again (some mistype the password first).
  await call('POST', '/api/logout');
  if (p.plan.mistypesPassword) {
    const bad = await call('POST', '/api/login', { email: p.emailTyped, password: p.password + 'x' });
    if (bad.status === 401) did.failedLogins++;
  }
  const login = await call('POST', '/api/login', { email: p.emailTyped, password: p.password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  did.logins++;
  for (let k = 0; k < p.plan.expenses; k++) {
    const [category, lo, hi, notes] = SPENDING[k === 0 ? 0 : 1 + Math.floor(r() * (SPENDING.length - 1))];
    const amount = Math.round((lo + r() * (hi - lo)) * 100) / 100;
    const spentOn = new Date(Date.now() - Math.floor(r() * 25) * 86400_000).toISOString().slice(0, 10);
    const e = await call('POST', '/api/expenses', { amount, category, note: notes[Math.floor(r() * notes.length)], spentOn });
    if (e.status === 201) did.expenses++;
  }
  await call('GET', '/api/expenses');
  if (p.plan.asksInsights) {
    const ins = await call('POST', '/api/insights');
    did.askedInsights = ins.status === 200;
  }
  if (p.plan.upgrades) {
    const up = await call('POST', '/api/billing/upgrade');
    did.upgraded = up.status === 200;
  }
  return did;
}

/**
 * Drives the traffic: `concurrency` people at a time, then the CRM sync through the admin API.
 * `onProgress(done, total, counters)` after each person.
 */
export async function driveTraffic(baseUrl, people, { adminToken, concurrency = 4, onProgress = () => {} } = {}) {
  const counters = { requests: 0, errors: 0 };
  const results = new Array(people.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < people.length) {
      const i = next++;
      results[i] = await livePerson(baseUrl, people[i], counters);
      onProgress(++done, people.length, counters);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  counters.requests++;
  const sync = await fetch(`${baseUrl}/admin/jobs/crm-sync`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  const crmSync = { status: sync.status, ...(await sync.json()) };

  return {
    users: people.map((p, i) => ({
      id: results[i].id,
      name: p.name,
      firstName: p.firstName,
      email: p.email,
      emailTyped: p.emailTyped,
      phone: p.phone,
      phoneE164: p.phoneE164,
      birthdate: p.birthdate,
      gender: p.gender,
      income: p.income,
      marketingConsent: p.marketingConsent,
      registered: results[i].registered,
      logins: results[i].logins,
      failedLogins: results[i].failedLogins,
      expenses: results[i].expenses,
      askedInsights: results[i].askedInsights,
      upgraded: results[i].upgraded,
    })),
    crmSync,
    requests: counters.requests,
    serverErrors: counters.errors,
  };
}
