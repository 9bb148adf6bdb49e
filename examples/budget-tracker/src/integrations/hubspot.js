'use strict';
// HubSpot CRM contacts: batch upsert keyed by email (at most 100 inputs per call, HubSpot's limit).
const config = require('../config');
const { splitName } = require('../lib/people');

const URL_UPSERT = 'https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert';
const enabled = () => Boolean(config.hubspot.token);

function contact(user) {
  const { first, last } = splitName(user.name);
  return {
    idProperty: 'email',
    id: user.email,
    properties: {
      email: user.email,
      firstname: first,
      lastname: last,
      phone: user.phone || '',
      budget_tracker_plan: user.plan,
      budget_tracker_user_id: user.id,
      marketing_opt_in: String(Boolean(user.marketing_consent)),
    },
  };
}

async function upsertContacts(users) {
  const res = await fetch(URL_UPSERT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.hubspot.token}` },
    body: JSON.stringify({ inputs: users.map(contact) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`HubSpot answered ${res.status}`);
  const body = await res.json();
  return Array.isArray(body.results) ? body.results.length : users.length;
}

module.exports = { enabled, upsertContacts };
