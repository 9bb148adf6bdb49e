// LLM prompts: personal values inside free text, often written differently than they were typed
// (grouped amounts, dates in another order or in words, phone numbers reformatted).
import * as n from './norm';
import type { Field } from './ingress';
import type { Person } from './people';
import type { Rng } from './prng';
import { Shares, jsonHeaders, type EgressSpec, type VendorGen } from './spec';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The date of birth written differently than typed; returns [text, label]. */
function dobWritten(rng: Rng, p: Person): [string, string] {
  const [y, m, d] = p.dobIso.split('-');
  const forms: Array<[string, string]> = [
    [`${d}/${m}/${y}`, 'reformatted'], [`${d}.${m}.${y}`, 'reformatted'], [p.dobIso, 'in-text'],
    [`${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`, 'reformatted'], [`${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`, 'reformatted'],
  ];
  const [text, label] = rng.pick(forms);
  return [text, text === p.dob.trim() ? 'in-text' : label];
}

/** The income as prose writes it. */
function incomeWritten(rng: Rng, p: Person): [string, string] {
  const v = p.incomeNumber;
  const forms: Array<[string, string]> = [
    [`$${v.toLocaleString('en-US')}`, 'reformatted'], [`${v.toLocaleString('en-US')}.00 USD`, 'reformatted'],
    [`${v.toLocaleString('de-DE')} €`, 'reformatted'], [`€${v}`, 'reformatted'], [String(v), 'in-text'],
  ];
  return rng.pick(forms);
}

/** The phone number as prose writes it (national, grouped, E.164). */
function phoneWritten(rng: Rng, p: Person): [string, string] {
  const e = p.phoneE164;
  const cc = e.startsWith('+1') ? '1' : e.slice(1, 3);
  const rest = e.slice(1 + cc.length);
  const forms: Array<[string, string]> = [[e, 'reformatted'], [`+${cc} ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`, 'reformatted'], [p.phone.trim(), 'in-text']];
  const [text, label] = rng.pick(forms);
  return [text, text === p.phone.trim() ? 'in-text' : label];
}

interface Prompt {
  system?: string;
  user: string;
  wants: Field[];
  shares: Shares;
}

function supportTicket(rng: Rng, p: Person): Prompt {
  const [ph, phT] = phoneWritten(rng, p);
  const s = new Shares().add('name', 'messages[1].content', 'in-text').add('email', 'messages[1].content', 'in-text').add('phone', 'messages[1].content', phT)
    .add('address', 'messages[1].content', 'in-text').add('city', 'messages[1].content', 'in-text');
  const user = `Summarize this support ticket and suggest a reply.\n\nFrom: ${p.first} ${p.last} <${n.email(p)}>\nPhone: ${ph}\n\n`
    + `Hello, my parcel was supposed to arrive at ${p.place.street}, ${p.place.city} last Tuesday but the tracking page still says "label created". Can you check? Thanks, ${p.first}`;
  return { system: 'You are a helpful customer support assistant for an online shop.', user, wants: ['first', 'last', 'email', 'phone', 'street', 'city'], shares: s };
}

function creditCheck(rng: Rng, p: Person): Prompt {
  const [dob, dobT] = dobWritten(rng, p);
  const [inc, incT] = incomeWritten(rng, p);
  const withEmail = rng.chance(0.5);
  const s = new Shares().add('name', 'messages[1].content', 'in-text').add('birthdate', 'messages[1].content', dobT).add('income', 'messages[1].content', incT);
  const wants: Field[] = ['first', 'last', 'dob', 'income'];
  let user = `Applicant: ${p.first} ${p.last}, born ${dob}, declared annual income ${inc}.`;
  if (withEmail) {
    user += ` Contact: ${n.email(p)}.`;
    s.add('email', 'messages[1].content', 'in-text');
    wants.push('email');
  }
  user += ' Based on our policy, is the applicant eligible for the Gold credit card? Answer yes or no with one sentence of reasoning.';
  return { system: 'You screen credit card applications. Be concise.', user, wants, shares: s };
}

function birthdayEmail(rng: Rng, p: Person): Prompt {
  const s = new Shares().add('name', 'messages[0].content', 'in-text').add('email', 'messages[0].content', 'in-text');
  const user = `Write a short, warm birthday email for our customer ${p.first} ${p.last} (${n.email(p)}). Mention the 15% discount code BDAY15. Keep it under 80 words.`;
  return { user, wants: ['first', 'last', 'email'], shares: s };
}

/** The profile as a JSON document inside the prompt text. */
function profileJson(rng: Rng, p: Person): Prompt {
  const s = new Shares().add('email', 'messages[1].content', 'nested-json').add('phone', 'messages[1].content', 'nested-json').add('name', 'messages[1].content', 'nested-json')
    .add('city', 'messages[1].content', 'nested-json').add('postal_code', 'messages[1].content', 'nested-json');
  const profile = { customer: { first_name: p.first, last_name: p.last, email: n.email(p), phone: p.phone.trim(), city: p.place.city, zip: p.place.postal }, orders: rng.int(1, 20) };
  const user = `Classify this customer into a marketing segment (one of: bargain, loyal, lapsed). Profile: ${JSON.stringify(profile)}`;
  return { system: 'Reply with the segment name only.', user, wants: ['first', 'last', 'email', 'phone', 'city', 'postal'], shares: s };
}

const PROMPTS = [supportTicket, creditCheck, birthdayEmail, profileJson];

function chat(vendor: string, url: string, model: string): VendorGen {
  return ({ p, rng }) => {
    const pr = rng.pick(PROMPTS)(rng, p);
    if (!pr.system) for (const s of pr.shares.list) s.fieldHint = s.fieldHint?.replace('messages[1]', 'messages[0]');
    const messages = pr.system ? [{ role: 'system', content: pr.system }, { role: 'user', content: pr.user }] : [{ role: 'user', content: pr.user }];
    const body = { model, messages, temperature: 0.2, max_tokens: 300 };
    return { vendor, vendorKind: 'llm', method: 'POST', url, headers: jsonHeaders({ authorization: `Bearer ${vendor === 'groq' ? 'gsk_' : 'sk-'}${rng.alnum(48)}` }), body: JSON.stringify(body), wants: pr.wants, shares: pr.shares };
  };
}

const anthropic: VendorGen = ({ p, rng }) => {
  const pr = rng.pick(PROMPTS)(rng, p);
  // Anthropic takes the system prompt apart from the messages; the paths move accordingly.
  for (const s of pr.shares.list) s.fieldHint = s.fieldHint?.replace(/messages\[\d\]/, 'messages[0]');
  const body: Record<string, unknown> = { model: 'claude-3-5-sonnet-20241022', max_tokens: 400, messages: [{ role: 'user', content: [{ type: 'text', text: pr.user }] }] };
  if (pr.system) body.system = pr.system;
  return { vendor: 'anthropic', vendorKind: 'llm', method: 'POST', url: 'https://api.anthropic.com/v1/messages', headers: jsonHeaders({ 'x-api-key': `sk-ant-api03-${rng.alnum(60)}`, 'anthropic-version': '2023-06-01' }), body: JSON.stringify(body), wants: pr.wants, shares: pr.shares };
};

/** OpenAI Responses API with a single `input` string. */
const openaiResponses: VendorGen = ({ p, rng }) => {
  const pr = rng.pick(PROMPTS)(rng, p);
  for (const s of pr.shares.list) s.fieldHint = 'input';
  const body = { model: 'gpt-4o-mini', instructions: pr.system, input: pr.user };
  return { vendor: 'openai', vendorKind: 'llm', method: 'POST', url: 'https://api.openai.com/v1/responses', headers: jsonHeaders({ authorization: `Bearer sk-proj-${rng.alnum(48)}` }), body: JSON.stringify(body), wants: pr.wants, shares: pr.shares };
};

export const LLM_VENDORS: ReadonlyArray<[string, VendorGen]> = [
  ['openai-chat', chat('openai', 'https://api.openai.com/v1/chat/completions', 'gpt-4o-mini')],
  ['openai-responses', openaiResponses],
  ['anthropic', anthropic],
  ['groq', chat('groq', 'https://api.groq.com/openai/v1/chat/completions', 'llama-3.1-70b-versatile')],
];
