'use strict';
// A sign-up service (CommonJS, express 5). It knows nothing about instrumentation: on
// POST /register it tells every partner about the new customer, the way real services do.
//   Meta CAPI (facebook-nodejs-business-sdk, hashes in the SDK), Segment identify (fire-and-forget,
//   sent after the response), PostHog capture, SendGrid welcome mail, a risk partner (axios, sha256
//   of the email + an income bracket), GA4 Measurement Protocol (got), Google Data Manager (fetch,
//   base64 SHA-256), the company's own accounts service (http.request, plain email) and an
//   exchange-rate lookup that carries nothing personal.
// POST /echo returns a digest of the body exactly as the app read it; GET /health answers "ok".
const crypto = require('node:crypto');
const http = require('node:http');
const express = require('express');
const cookieParser = require('cookie-parser');
const bizSdk = require('facebook-nodejs-business-sdk');
const { Analytics } = require('@segment/analytics-node');
const { PostHog } = require('posthog-node');
const sgMail = require('@sendgrid/mail');
const axios = require('axios');

const META_TOKEN = process.env.META_ACCESS_TOKEN || 'EAAe2efakeaccesstoken0123456789';
const META_PIXEL = process.env.META_PIXEL_ID || '918273645501234';
const BODY_LIMIT = '10mb';

bizSdk.FacebookAdsApi.init(META_TOKEN);
const analytics = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY || 'e2eSegmentWriteKey0123456789', flushAt: 1, maxRetries: 1 });
analytics.on('error', (e) => console.error('[segment] delivery failed:', e && (e.code || e.message)));
const posthog = new PostHog(process.env.POSTHOG_API_KEY || 'phc_e2e0000000000000000000000000000000000000000', { flushAt: 1, flushInterval: 0 });
sgMail.setApiKey(process.env.SENDGRID_API_KEY || 'SG.e2e-fake-key.0123456789abcdef');
const gotReady = import('got').then((m) => m.default);

const sha256hex = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const sha256b64 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('base64');
const normEmail = (e) => String(e).trim().toLowerCase();
// Google's rule for gmail.com / googlemail.com: dots and +tag removed from the local part
function gmailNormalized(email) {
  const lower = normEmail(email);
  const at = lower.lastIndexOf('@');
  const domain = lower.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return lower;
  return `${lower.slice(0, at).split('+')[0].replace(/\./g, '')}@${domain}`;
}
// national US numbers get +1; anything typed with a country code keeps it
function toE164(phone) {
  const digits = String(phone).replace(/\D/g, '');
  if (String(phone).trim().startsWith('+')) return `+${digits}`;
  return digits.length === 10 ? `+1${digits}` : `+${digits}`;
}
function incomeBracket(income) {
  const n = Number(income);
  if (!Number.isFinite(n)) return 'unknown';
  if (n < 50000) return 'under-50k';
  if (n < 100000) return '50k-100k';
  return '100k-plus';
}

function postToAccounts(profile) {
  const body = JSON.stringify(profile);
  return new Promise((resolve, reject) => {
    const req = http.request('http://accounts.internal.example/v1/profiles', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve(res.statusCode) : reject(new Error(`accounts answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function register(input, fbp) {
  const { email, phone, firstName, lastName, birthdate, gender, city, zip, income } = input;
  const id = 'cus_' + crypto.randomBytes(6).toString('hex');
  const e164 = toE164(phone);
  const got = await gotReady;

  const userData = new bizSdk.UserData()
    .setEmails([email])
    .setPhones([e164])
    .setFirstName(firstName)
    .setLastName(lastName)
    .setDateOfBirth(String(birthdate).replace(/-/g, ''))
    .setGender(gender === 'female' ? 'f' : gender === 'male' ? 'm' : gender)
    .setCity(city)
    .setZip(zip)
    .setFbp(fbp);
  const event = new bizSdk.ServerEvent()
    .setEventName('CompleteRegistration')
    .setEventTime(Math.floor(Date.now() / 1000))
    .setEventId(id)
    .setUserData(userData)
    .setActionSource('website');

  // fire-and-forget: the SDK sends its batch on its own schedule
  analytics.identify({ userId: id, traits: { email, name: `${firstName} ${lastName}`, phone: e164 } });

  const calls = {
    meta: () => new bizSdk.EventRequest(META_TOKEN, META_PIXEL).setEvents([event]).execute(),
    posthog: () => {
      posthog.capture({ distinctId: email, event: 'signed_up', properties: { plan: 'free', source: 'web' } });
      return posthog.flush();
    },
    sendgrid: () => sgMail.send({
      to: email,
      from: 'welcome@shop.example',
      subject: `Welcome aboard, ${firstName}!`,
      text: 'Your account is ready. Reply to this mail if you need anything.',
    }),
    risk: () => axios.post('https://risk.partner-example.com/v2/score', {
      customer_ref: sha256hex(normEmail(email)),
      income_bracket: incomeBracket(income),
      channel: 'web',
    }, { headers: { authorization: 'Bearer risk-e2e-token' } }),
    ga4: () => got.post('https://www.google-analytics.com/mp/collect', {
      searchParams: { measurement_id: 'G-E2ETEST01', api_secret: 'e2e-ga4-secret' },
      json: {
        client_id: '1187263512.1732611045',
        user_id: id,
        user_data: { sha256_email_address: [sha256hex(normEmail(email))], sha256_phone_number: [sha256hex(e164)] },
        events: [{ name: 'sign_up', params: { method: 'email' } }],
      },
    }),
    dataManager: async () => {
      const res = await fetch('https://datamanager.googleapis.com/v1/events:ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.e2e-fake' },
        body: JSON.stringify({
          destinations: [{ operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1234567890' }, productDestinationId: '987654321' }],
          encoding: 'BASE64',
          events: [{
            transactionId: id,
            eventTimestamp: new Date().toISOString(),
            userData: { userIdentifiers: [{ emailAddress: sha256b64(gmailNormalized(email)) }] },
          }],
        }),
      });
      if (!res.ok) throw new Error(`data manager answered ${res.status}`);
      return res.json();
    },
    accounts: () => postToAccounts({ id, email, firstName, lastName }),
    exchangeRate: () => axios.get('https://api.exchangerate.example/latest?base=EUR'),
  };

  const names = Object.keys(calls);
  const results = await Promise.allSettled(names.map((n) => calls[n]()));
  const failed = names.filter((n, i) => results[i].status === 'rejected');
  for (const n of failed) {
    const reason = results[names.indexOf(n)].reason;
    console.error(`[register] ${n} failed: ${reason && (reason.code || reason.name)} ${reason && reason.response ? reason.response.status : ''}`);
  }
  return { id, failed };
}

const app = express();
const keepRaw = (req, _res, buf) => { req.rawBody = buf; };
app.use(express.json({ limit: BODY_LIMIT, verify: keepRaw }));
app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, verify: keepRaw }));
app.use(cookieParser());

app.get('/health', (_req, res) => res.type('text/plain').send('ok'));

app.post('/register', async (req, res, next) => {
  try {
    const { id, failed } = await register(req.body || {}, req.cookies._fbp);
    if (failed.length) return res.status(502).json({ ok: false, failed });
    res.json({ ok: true, id });
  } catch (e) {
    next(e);
  }
});

app.post('/echo', express.raw({ type: () => true, limit: BODY_LIMIT, verify: keepRaw }), (req, res) => {
  const raw = req.rawBody || Buffer.alloc(0);
  const parsed = Buffer.isBuffer(req.body) ? 'raw' : req.body && typeof req.body === 'object' ? Object.keys(req.body).sort() : null;
  res.json({
    sha256: crypto.createHash('sha256').update(raw).digest('hex'),
    contentType: req.get('content-type') || null,
    length: raw.length,
    parsed,
  });
});

app.post('/unread', (_req, res) => res.type('text/plain').send('unread'));

app.use((err, _req, res, _next) => {
  if (res.headersSent) return;
  res.status(err.status || err.statusCode || 500).json({ error: err.type || 'internal' });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

let closing = false;
process.on('SIGTERM', async () => {
  if (closing) return;
  closing = true;
  server.close();
  server.closeIdleConnections();
  try {
    await Promise.all([analytics.closeAndFlush({ timeout: 5000 }), posthog.shutdown(5000)]);
  } catch (e) {
    console.error('[shutdown]', e && e.message);
  }
});
