// Synthetic people in six locales: accented names, local phone formats, addresses, dates of birth
// written the local way. Every phone number is checked valid with libphonenumber-js (max metadata),
// because an invalid number would make a case test the generator instead of the matcher.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Rng } from './prng';

export type Locale = 'US' | 'GB' | 'DE' | 'FR' | 'IN' | 'BR';
export const LOCALES: readonly Locale[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR'];

export interface Place {
  city: string;
  region: string;
  /** Two-letter region code where vendors use one (US states, BR UFs). */
  regionCode: string;
  postal: string;
  street: string;
}

export interface Person {
  locale: Locale;
  first: string;
  last: string;
  /** As typed into the form (may have odd case, spaces, dots, a `+tag`). */
  email: string;
  /** As typed, in a local or international format. */
  phone: string;
  /** E.164, as vendors normalize it. */
  phoneE164: string;
  /** As typed (local writing) and ISO. */
  dob: string;
  dobIso: string;
  gender: 'female' | 'male';
  place: Place;
  /** Country as typed (`Deutschland`, `United Kingdom`, `BR`). */
  countryTyped: string;
  income: string;
  incomeNumber: number;
  userId: string;
  deviceId: string;
  fbp: string;
  fbc: string;
  gclid: string;
  ttclid: string;
  ip: string;
  card: string;
}

interface LocaleData {
  firstF: readonly string[];
  firstM: readonly string[];
  last: readonly string[];
  domains: readonly string[];
  places: readonly Omit<Place, 'street'>[];
  streets: readonly string[];
  countries: readonly string[];
  incomeFmt: (n: number) => string;
}

const DATA: Record<Locale, LocaleData> = {
  US: {
    firstF: ['Mary-Jane', 'Emily', 'Ashley', 'María', 'Chloé', 'Brianna', 'Jessica', 'Zoë'],
    firstM: ['José', 'Michael', 'Tyler', 'DeShawn', 'Andrés', 'Connor', 'Brandon', 'Ethan'],
    last: ["O'Neil", 'Johnson', 'García', 'Nguyen', 'Van der Berg', 'Washington', 'McAllister', 'Rodríguez'],
    domains: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'comcast.net', 'proton.me'],
    places: [
      { city: 'San Francisco', region: 'California', regionCode: 'CA', postal: '94105' },
      { city: 'Austin', region: 'Texas', regionCode: 'TX', postal: '78701' },
      { city: 'Brooklyn', region: 'New York', regionCode: 'NY', postal: '11201-2345' },
      { city: 'Seattle', region: 'Washington', regionCode: 'WA', postal: '98101' },
      { city: 'Chicago', region: 'Illinois', regionCode: 'IL', postal: '60614' },
      { city: 'Denver', region: 'Colorado', regionCode: 'CO', postal: '80202' },
    ],
    streets: ['742 Evergreen Terrace', '1600 Amphitheatre Pkwy', '221 Maple Street Apt 4B', '90 Bedford St', '350 Fifth Avenue'],
    countries: ['United States', 'US', 'USA'],
    incomeFmt: (n) => `$${n.toLocaleString('en-US')}`,
  },
  GB: {
    firstF: ['Siobhán', 'Olivia', 'Amelia', 'Niamh', 'Chloë', 'Aoife', 'Isla'],
    firstM: ['Oliver', 'Seán', 'Harry', 'Rhys', 'Callum', 'Jamie', 'Ruairí'],
    last: ["O'Connor", 'Smith-Jones', 'Taylor', 'Patel', 'MacDonald', 'Williams', 'Ó Briain'],
    domains: ['gmail.com', 'hotmail.co.uk', 'btinternet.com', 'yahoo.co.uk', 'outlook.com'],
    places: [
      { city: 'London', region: 'England', regionCode: 'ENG', postal: 'SW1A 1AA' },
      { city: 'Manchester', region: 'England', regionCode: 'ENG', postal: 'M1 1AE' },
      { city: 'Edinburgh', region: 'Scotland', regionCode: 'SCT', postal: 'EH1 1YZ' },
      { city: 'Bristol', region: 'England', regionCode: 'ENG', postal: 'BS1 4DJ' },
      { city: 'Cardiff', region: 'Wales', regionCode: 'WLS', postal: 'CF10 1EP' },
    ],
    streets: ['221B Baker Street', '10 Downing Street', '48 Queen’s Road', 'Flat 3, 12 Princes Street'],
    countries: ['United Kingdom', 'GB', 'UK'],
    incomeFmt: (n) => `£${n.toLocaleString('en-GB')}`,
  },
  DE: {
    firstF: ['Jürgen', 'Anna-Lena', 'Käthe', 'Sophie', 'Lea', 'Hannah', 'Jülide'],
    firstM: ['Jürgen', 'Björn', 'Lukas', 'Maximilian', 'Günther', 'Jörg', 'Felix'],
    last: ['Müller', 'Schäfer', 'Weiß', 'Becker', 'Groß', 'Schmidt', 'Köhler'],
    domains: ['web.de', 'gmx.de', 'gmail.com', 't-online.de', 'posteo.de'],
    places: [
      { city: 'Berlin', region: 'Berlin', regionCode: 'BE', postal: '10115' },
      { city: 'München', region: 'Bayern', regionCode: 'BY', postal: '80331' },
      { city: 'Köln', region: 'Nordrhein-Westfalen', regionCode: 'NW', postal: '50667' },
      { city: 'Hamburg', region: 'Hamburg', regionCode: 'HH', postal: '20095' },
      { city: 'Düsseldorf', region: 'Nordrhein-Westfalen', regionCode: 'NW', postal: '40213' },
    ],
    streets: ['Hauptstraße 12', 'Königsallee 27a', 'Schloßstraße 5', 'Am Münsterplatz 3'],
    countries: ['Deutschland', 'DE', 'Germany'],
    incomeFmt: (n) => `${n.toLocaleString('de-DE')} €`,
  },
  FR: {
    firstF: ['Amélie', 'Hélène', 'Zoé', 'Léa', 'Anaïs', 'Maëlle', 'Inès'],
    firstM: ['François', 'Jérôme', 'Loïc', 'Théo', 'Benoît', 'Gaël', 'Noé'],
    last: ['Lefèvre', 'Dubois', 'Girard', 'Lemaître', 'Fontaine', 'Bérénger', 'Moreau'],
    domains: ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net', 'sfr.fr'],
    places: [
      { city: 'Paris', region: 'Île-de-France', regionCode: 'IDF', postal: '75001' },
      { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', regionCode: 'ARA', postal: '69002' },
      { city: 'Marseille', region: "Provence-Alpes-Côte d'Azur", regionCode: 'PAC', postal: '13001' },
      { city: 'Saint-Étienne', region: 'Auvergne-Rhône-Alpes', regionCode: 'ARA', postal: '42000' },
      { city: 'Nice', region: "Provence-Alpes-Côte d'Azur", regionCode: 'PAC', postal: '06000' },
    ],
    streets: ['12 rue de la Paix', '8 avenue des Champs-Élysées', '3 place Bellecour', '27 boulevard Saint-Germain'],
    countries: ['France', 'FR'],
    incomeFmt: (n) => `${n.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} €`,
  },
  IN: {
    firstF: ['Priya', 'Ananya', 'Kavya', 'Lakshmi', 'Saanvi', 'Diya'],
    firstM: ['Aarav', 'Rohan', 'Vikram', 'Arjun', 'Siddharth', 'Karthik'],
    last: ['Sharma', 'Iyer', 'Reddy', 'Banerjee', 'Nair', 'Gupta', 'Chatterjee'],
    domains: ['gmail.com', 'rediffmail.com', 'yahoo.co.in', 'outlook.com'],
    places: [
      { city: 'Mumbai', region: 'Maharashtra', regionCode: 'MH', postal: '400001' },
      { city: 'Bengaluru', region: 'Karnataka', regionCode: 'KA', postal: '560001' },
      { city: 'New Delhi', region: 'Delhi', regionCode: 'DL', postal: '110001' },
      { city: 'Chennai', region: 'Tamil Nadu', regionCode: 'TN', postal: '600001' },
      { city: 'Pune', region: 'Maharashtra', regionCode: 'MH', postal: '411001' },
    ],
    streets: ['12 MG Road', 'Flat 402, Sai Residency, Linking Road', '7 Park Street', '45 Anna Salai'],
    countries: ['India', 'IN'],
    incomeFmt: (n) => `₹${n.toLocaleString('en-IN')}`,
  },
  BR: {
    firstF: ['Conceição', 'Beatriz', 'Luíza', 'Ana Clara', 'Letícia', 'Júlia'],
    firstM: ['João', 'Antônio', 'Sebastião', 'Gonçalo', 'Luís', 'Caio'],
    last: ['Gonçalves', 'da Silva', 'Araújo', 'Conceição', 'Magalhães', 'Simões', 'Brandão'],
    domains: ['uol.com.br', 'gmail.com', 'bol.com.br', 'terra.com.br', 'hotmail.com'],
    places: [
      { city: 'São Paulo', region: 'São Paulo', regionCode: 'SP', postal: '01310-100' },
      { city: 'Rio de Janeiro', region: 'Rio de Janeiro', regionCode: 'RJ', postal: '20040-002' },
      { city: 'Belo Horizonte', region: 'Minas Gerais', regionCode: 'MG', postal: '30130-010' },
      { city: 'Curitiba', region: 'Paraná', regionCode: 'PR', postal: '80010-000' },
      { city: 'Salvador', region: 'Bahia', regionCode: 'BA', postal: '40020-000' },
    ],
    streets: ['Rua Augusta, 1500', 'Avenida Paulista, 900 - apto 12', 'Rua das Flores, 45', 'Praça da Sé, 10'],
    countries: ['Brasil', 'BR', 'Brazil'],
    incomeFmt: (n) => `R$ ${n.toLocaleString('pt-BR')}`,
  },
};

const ASCII_FOLD = /[\u0300-\u036f]/g;

export function asciiFold(s: string): string {
  return s.normalize('NFD').replace(ASCII_FOLD, '').replace(/ß/g, 'ss');
}

/** Local part from the name, the way people pick addresses. */
function emailFor(rng: Rng, first: string, last: string, domain: string): string {
  const f = asciiFold(first).toLowerCase().replace(/[^a-z]/g, '');
  const l = asciiFold(last).toLowerCase().replace(/[^a-z]/g, '');
  const local = rng.pick([`${f}.${l}`, `${f}${l}${rng.int(1, 99)}`, `${f[0]}${l}`, `${f}_${l}`, `${l}.${f}${rng.int(70, 99)}`]);
  let email = `${local}@${domain}`;
  // Some people type a +tag, capitals, or stray spaces: vendors normalize them away.
  if (rng.chance(0.2) && domain === 'gmail.com') email = `${local}+${rng.pick(['news', 'shop', 'promo'])}@${domain}`;
  if (rng.chance(0.25)) email = email[0].toUpperCase() + email.slice(1).replace(/@(.)/, (_, c: string) => '@' + c.toUpperCase());
  if (rng.chance(0.1)) email = ` ${email} `;
  return email;
}

function valid(national: string, region: Locale): string | undefined {
  const p = parsePhoneNumberFromString(national, region as CountryCode);
  return p?.isValid() ? p.number : undefined;
}

/** A valid mobile number: [E.164, as typed]. */
function phoneFor(rng: Rng, locale: Locale): [string, string] {
  for (let attempt = 0; attempt < 200; attempt++) {
    let typed: string;
    let national: string;
    switch (locale) {
      case 'US': {
        const area = rng.pick(['415', '650', '212', '646', '312', '206', '512', '303', '617', '404']);
        const ex = `${rng.int(2, 9)}${rng.digits(2)}`;
        if (ex === '555') continue;
        const line = rng.digits(4);
        national = `${area}${ex}${line}`;
        typed = rng.pick([`(${area}) ${ex}-${line}`, `${area}-${ex}-${line}`, `${area}.${ex}.${line}`, `+1 ${area} ${ex} ${line}`, `+1 (${area}) ${ex}-${line}`]);
        break;
      }
      case 'GB': {
        const rest = `7${rng.int(4, 9)}${rng.digits(8)}`;
        national = `0${rest}`;
        typed = rng.pick([`0${rest.slice(0, 4)} ${rest.slice(4)}`, `+44 ${rest.slice(0, 4)} ${rest.slice(4)}`, `+44${rest}`]);
        break;
      }
      case 'DE': {
        const pre = rng.pick(['151', '152', '157', '160', '170', '171', '176', '179']);
        const rest = rng.digits(pre === '160' ? 7 : 8);
        national = `0${pre}${rest}`;
        typed = rng.pick([`0${pre} ${rest}`, `+49 ${pre} ${rest}`, `+49 (0)${pre} ${rest}`, `0049 ${pre} ${rest}`]);
        break;
      }
      case 'FR': {
        const d = `${rng.int(6, 7)}${rng.digits(8)}`;
        national = `0${d}`;
        const pairs = `0${d}`.replace(/(\d\d)(?=\d)/g, '$1 ');
        typed = rng.pick([pairs, `+33 ${d[0]} ${d.slice(1).replace(/(\d\d)(?=\d)/g, '$1 ')}`, `0${d}`]);
        break;
      }
      case 'IN': {
        const d = `${rng.int(7, 9)}${rng.digits(9)}`;
        national = d;
        typed = rng.pick([`+91 ${d.slice(0, 5)} ${d.slice(5)}`, `0${d.slice(0, 5)} ${d.slice(5)}`, `+91-${d}`]);
        break;
      }
      case 'BR': {
        const ddd = rng.pick(['11', '21', '31', '41', '51', '61', '71', '81']);
        const d = `9${rng.int(6, 9)}${rng.digits(7)}`;
        national = `${ddd}${d}`;
        typed = rng.pick([`(${ddd}) ${d.slice(0, 5)}-${d.slice(5)}`, `+55 ${ddd} ${d.slice(0, 5)}-${d.slice(5)}`, `+55 (${ddd}) ${d}`]);
        break;
      }
    }
    const e164 = valid(national, locale);
    if (e164) return [e164, typed];
  }
  throw new Error(`could not generate a valid ${locale} phone number`);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Day 13–28, so a local `DD/MM/YYYY` writing is never ambiguous with `MM/DD/YYYY`. */
function dobFor(rng: Rng, locale: Locale): [string, string] {
  const y = rng.int(1950, 2004);
  const m = rng.int(1, 12);
  const d = rng.int(13, 28);
  const iso = `${y}-${pad2(m)}-${pad2(d)}`;
  if (rng.chance(0.4)) return [iso, iso];
  switch (locale) {
    case 'US': return [`${pad2(m)}/${pad2(d)}/${y}`, iso];
    case 'DE': return [`${pad2(d)}.${pad2(m)}.${y}`, iso];
    case 'IN': return [`${pad2(d)}-${pad2(m)}-${y}`, iso];
    default: return [`${pad2(d)}/${pad2(m)}/${y}`, iso];
  }
}

/** A Luhn-valid 16-digit test card number (4-prefixed, never a real issuer range check). */
export function luhnCard(rng: Rng): string {
  const digits = `4${rng.digits(14)}`.split('').map(Number);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = digits[14 - i];
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  digits.push((10 - (sum % 10)) % 10);
  return digits.join('');
}

function ipFor(rng: Rng): string {
  if (rng.chance(0.2)) return `2a02:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(2)}00::${rng.hex(3)}`;
  return `${rng.pick([81, 85, 92, 177, 189, 49, 103, 73, 98])}.${rng.int(1, 254)}.${rng.int(1, 254)}.${rng.int(1, 254)}`;
}

export function makePerson(rng: Rng, locale: Locale): Person {
  const data = DATA[locale];
  const gender = rng.chance(0.5) ? 'female' : 'male';
  const first = rng.pick(gender === 'female' ? data.firstF : data.firstM);
  const last = rng.pick(data.last);
  const [phoneE164, phone] = phoneFor(rng, locale);
  const [dob, dobIso] = dobFor(rng, locale);
  const place = { ...rng.pick(data.places), street: rng.pick(data.streets) };
  const incomeNumber = rng.int(18, 240) * 1000 + (rng.chance(0.3) ? 500 : 0);
  const ts = 1700000000000 + rng.int(0, 9999999);
  const fbclid = `IwAR${rng.alnum(40)}`;
  return {
    locale, first, last,
    email: emailFor(rng, first, last, rng.pick(data.domains)),
    phone, phoneE164, dob, dobIso, gender, place,
    countryTyped: rng.pick(data.countries),
    income: rng.chance(0.5) ? data.incomeFmt(incomeNumber) : String(incomeNumber),
    incomeNumber,
    userId: rng.pick([`usr_${rng.alnum(12)}`, `${rng.int(100000, 9999999)}`, `cus_${rng.alnum(14)}`]),
    deviceId: rng.uuid().toUpperCase(),
    fbp: `fb.1.${ts}.${rng.int(100000000, 2147483647)}`,
    fbc: `fb.1.${ts}.${fbclid}`,
    gclid: `Cj0KCQiA${rng.alnum(60)}`,
    ttclid: `E.C.P.${rng.alnum(48)}`,
    ip: ipFor(rng),
    card: luhnCard(rng),
  };
}

/** ISO-2 lowercase country of a locale (`gb` for the UK, as vendors send it). */
export function countryIso(locale: Locale): string {
  return locale.toLowerCase();
}

/** Email as vendors normalize it: trimmed, lowercased. */
export function emailNorm(p: Person): string {
  return p.email.trim().toLowerCase();
}
