// The incoming request that collects a person's data: a signup / checkout / lead form sent as JSON,
// urlencoded form, multipart, or a GET with a query string, with field names in the person's
// language, cookies for ad click ids and the client address.
import type { CorpusIngress } from './case-format';
import type { Person } from './people';
import type { Rng } from './prng';

export type Field =
  | 'email' | 'phone' | 'first' | 'last' | 'dob' | 'gender' | 'street' | 'city' | 'region' | 'postal'
  | 'country' | 'income' | 'userId' | 'deviceId' | 'fbp' | 'fbc' | 'gclid' | 'ttclid' | 'ip' | 'card';

export const CATEGORY_OF: Record<Field, string> = {
  email: 'email', phone: 'phone', first: 'name', last: 'name', dob: 'birthdate', gender: 'gender',
  street: 'address', city: 'city', region: 'region', postal: 'postal_code', country: 'country', income: 'income',
  userId: 'user_id', deviceId: 'device_id', fbp: 'ad_click_id', fbc: 'ad_click_id', gclid: 'ad_click_id',
  ttclid: 'ad_click_id', ip: 'ip', card: 'card',
};

export type IngressShape = 'json' | 'form' | 'multipart' | 'query';

/** Field names per locale (every one is in detect/field-rules.yaml, in some spelling). */
const KEYS: Record<string, Partial<Record<Field, readonly string[]>>> = {
  US: { email: ['email', 'emailAddress', 'customer_email'], phone: ['phone', 'phoneNumber', 'mobile'], first: ['first_name', 'firstName'], last: ['last_name', 'lastName'], dob: ['birthdate', 'dob', 'date_of_birth'], gender: ['gender', 'sex'], street: ['address', 'street_address'], city: ['city'], region: ['state'], postal: ['zip', 'zipCode', 'postal_code'], country: ['country'], income: ['annual_income', 'income', 'salary'] },
  GB: { email: ['email', 'email_address'], phone: ['phone', 'mobile', 'telephone'], first: ['first_name', 'forename', 'given_name'], last: ['surname', 'last_name'], dob: ['date_of_birth', 'dob'], gender: ['gender'], street: ['address', 'address_line'], city: ['town', 'city'], region: ['county', 'region'], postal: ['postcode', 'post_code'], country: ['country'], income: ['salary', 'annual_income'] },
  DE: { email: ['email', 'E-Mail', 'e_mail'], phone: ['telefon', 'handy', 'telefonnummer'], first: ['vorname'], last: ['nachname'], dob: ['geburtsdatum'], gender: ['geschlecht'], street: ['strasse', 'anschrift'], city: ['ort', 'stadt'], region: ['bundesland'], postal: ['plz', 'postleitzahl'], country: ['land', 'country'], income: ['einkommen', 'gehalt', 'jahreseinkommen'] },
  FR: { email: ['email', 'courriel', 'adresse_email'], phone: ['telephone', 'portable', 'téléphone'], first: ['prenom', 'prénom'], last: ['nom', 'nom_de_famille'], dob: ['date_de_naissance'], gender: ['sexe', 'genre'], street: ['adresse', 'rue'], city: ['ville'], region: ['region', 'departement'], postal: ['code_postal'], country: ['pays'], income: ['salaire', 'revenu'] },
  IN: { email: ['email', 'emailId', 'email_address'], phone: ['mobile', 'phone', 'mobile_number'], first: ['first_name', 'firstName'], last: ['last_name', 'surname'], dob: ['dob', 'date_of_birth'], gender: ['gender'], street: ['address', 'street'], city: ['city'], region: ['state'], postal: ['pincode', 'postal_code', 'zip'], country: ['country'], income: ['annual_income', 'salary'] },
  BR: { email: ['email', 'endereco_email'], phone: ['celular', 'telefone'], first: ['nome', 'primeiro_nome'], last: ['sobrenome'], dob: ['data_nascimento', 'data_de_nascimento'], gender: ['genero', 'sexo'], street: ['endereco', 'logradouro'], city: ['cidade'], region: ['estado', 'state'], postal: ['cep'], country: ['pais', 'país'], income: ['renda', 'salario'] },
};
const COMMON: Partial<Record<Field, readonly string[]>> = {
  userId: ['user_id', 'customer_id', 'external_id'], deviceId: ['idfa', 'advertising_id', 'gaid'], card: ['card_number', 'cc_number'],
};

const GENDER_WORDS: Record<string, [string, string]> = {
  US: ['female', 'male'], GB: ['F', 'M'], DE: ['weiblich', 'männlich'], FR: ['femme', 'homme'], IN: ['Female', 'Male'], BR: ['feminino', 'masculino'],
};

const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
];

export function genderTyped(p: Person): string {
  const [f, m] = GENDER_WORDS[p.locale];
  return p.gender === 'female' ? f : m;
}

export function valueOf(p: Person, f: Field): string {
  switch (f) {
    case 'email': return p.email;
    case 'phone': return p.phone;
    case 'first': return p.first;
    case 'last': return p.last;
    case 'dob': return p.dob;
    case 'gender': return genderTyped(p);
    case 'street': return p.place.street;
    case 'city': return p.place.city;
    case 'region': return p.locale === 'US' || p.locale === 'BR' ? p.place.regionCode : p.place.region;
    case 'postal': return p.place.postal;
    case 'country': return p.countryTyped;
    case 'income': return p.income;
    case 'userId': return p.userId;
    case 'deviceId': return p.deviceId;
    case 'fbp': return p.fbp;
    case 'fbc': return p.fbc;
    case 'gclid': return p.gclid;
    case 'ttclid': return p.ttclid;
    case 'ip': return p.ip;
    case 'card': return p.card;
  }
}

export interface BuiltIngress {
  ingress: CorpusIngress;
  /** Categories this request carries (what the detector should tag). */
  collected: Set<string>;
  userAgent: string;
}

function formEncode(pairs: ReadonlyArray<[string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function multipart(pairs: ReadonlyArray<[string, string]>, boundary: string): string {
  let out = '';
  for (const [k, v] of pairs) out += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  return `${out}--${boundary}--\r\n`;
}

const PATHS = ['/api/signup', '/checkout', '/api/leads', '/account/profile', '/newsletter/subscribe', '/api/v1/orders', '/quote'];

/** Builds the request that collects `fields` of `p`. Click ids travel as cookies / query, the
 *  address as `clientIp`, the rest in the body (or the query for a GET form). */
export function buildIngress(rng: Rng, p: Person, fields: ReadonlySet<Field>, shape: IngressShape): BuiltIngress {
  const keys = { ...COMMON, ...KEYS[p.locale] };
  const pairs: Array<[string, string]> = [];
  const collected = new Set<string>();
  const cookies: string[] = [];
  const query: Array<[string, string]> = [];
  const ua = rng.pick(USER_AGENTS);
  let clientIp: string | undefined;
  // A national phone number is read in the person's country: forms that take one ask for it.
  const needsCountry = fields.has('phone') && !p.phone.trim().startsWith('+') && !p.phone.startsWith('00') && p.locale !== 'US';
  const order: Field[] = ['email', 'phone', 'first', 'last', 'dob', 'gender', 'street', 'city', 'region', 'postal', 'country', 'income', 'userId', 'deviceId', 'card'];
  for (const f of order) {
    if (!fields.has(f) && !(f === 'country' && needsCountry)) continue;
    const names = keys[f];
    if (!names) continue;
    pairs.push([rng.pick(names), valueOf(p, f)]);
    collected.add(CATEGORY_OF[f]);
  }
  if (fields.has('fbp')) { cookies.push(`_fbp=${p.fbp}`); collected.add('ad_click_id'); }
  if (fields.has('fbc')) { cookies.push(`_fbc=${p.fbc}`); collected.add('ad_click_id'); }
  if (fields.has('gclid')) { query.push(['gclid', p.gclid]); collected.add('ad_click_id'); }
  if (fields.has('ttclid')) { query.push(['ttclid', p.ttclid]); collected.add('ad_click_id'); }
  if (fields.has('ip')) { clientIp = p.ip; collected.add('ip'); }
  cookies.push(`session=${rng.alnum(24)}`);

  const headers: Record<string, string> = { 'user-agent': ua, accept: 'application/json', cookie: cookies.join('; ') };
  let method = 'POST';
  let body = '';
  let contentType: string | undefined;
  const path = rng.pick(PATHS);
  switch (shape) {
    case 'json': {
      // Address parts nest under an object half the time, as real checkout APIs do.
      const nest = rng.chance(0.5);
      const obj: Record<string, unknown> = {};
      const addr: Record<string, string> = {};
      for (const [k, v] of pairs) {
        const isAddr = ['street', 'address', 'street_address', 'strasse', 'anschrift', 'adresse', 'rue', 'endereco', 'logradouro', 'city', 'town', 'ort', 'stadt', 'ville', 'cidade', 'zip', 'zipCode', 'postal_code', 'postcode', 'post_code', 'plz', 'postleitzahl', 'code_postal', 'cep', 'pincode'].includes(k);
        if (nest && isAddr) addr[k === 'address' || k === 'adresse' || k === 'endereco' ? 'street' : k] = v;
        else obj[k] = v;
      }
      if (nest && Object.keys(addr).length) obj[rng.pick(['address', 'billing_address', 'shipping'])] = addr;
      obj.marketing_opt_in = rng.chance(0.5);
      obj.plan = rng.pick(['basic', 'pro', 'family']);
      body = JSON.stringify(obj);
      contentType = 'application/json';
      break;
    }
    case 'form':
      body = formEncode([...pairs, ['csrf_token', rng.alnum(32)]]);
      contentType = 'application/x-www-form-urlencoded';
      break;
    case 'multipart': {
      const boundary = `----WebKitFormBoundary${rng.alnum(16)}`;
      body = multipart([...pairs, ['terms', 'on']], boundary);
      contentType = `multipart/form-data; boundary=${boundary}`;
      break;
    }
    case 'query':
      method = 'GET';
      query.unshift(...pairs);
      break;
  }
  if (contentType) headers['content-type'] = contentType;
  const qs = query.length ? `?${formEncode(query)}` : '';
  const bodyBuf = Buffer.from(body, 'utf8');
  if (bodyBuf.length) headers['content-length'] = String(bodyBuf.length);
  return {
    ingress: { method, target: `${path}${qs}`, headers, body: bodyBuf.toString('base64'), contentType, clientIp },
    collected,
    userAgent: ua,
  };
}
