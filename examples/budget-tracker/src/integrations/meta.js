'use strict';
// Meta Conversions API through Meta's own SDK. UserData hashes (SHA-256) the email, phone, names and
// birth date itself before sending, as Meta requires. Only for users who accepted marketing.
const bizSdk = require('facebook-nodejs-business-sdk');
const config = require('../config');
const { splitName, toE164 } = require('../lib/people');

const enabled = Boolean(config.meta.accessToken && config.meta.pixelId);
if (enabled) bizSdk.FacebookAdsApi.init(config.meta.accessToken);

function userData(user, request) {
  const { first, last } = splitName(user.name);
  const data = new bizSdk.UserData()
    .setEmail(user.email)
    .setExternalId(user.id)
    .setFirstName(first)
    .setLastName(last);
  if (user.phone) data.setPhone(toE164(user.phone).slice(1));
  if (user.birthdate) data.setDateOfBirth(String(user.birthdate).replace(/-/g, ''));
  if (user.gender === 'female' || user.gender === 'male') data.setGender(user.gender[0]);
  if (request) {
    data.setClientIpAddress(request.ip).setClientUserAgent(request.get('user-agent') || '');
    if (request.cookies._fbp) data.setFbp(request.cookies._fbp);
  }
  return data;
}

async function sendEvent(name, user, request, customData) {
  if (!enabled || !user.marketing_consent) return;
  const event = new bizSdk.ServerEvent()
    .setEventName(name)
    .setEventTime(Math.floor(Date.now() / 1000))
    .setUserData(userData(user, request))
    .setActionSource('website');
  if (customData) event.setCustomData(customData);
  await new bizSdk.EventRequest(config.meta.accessToken, config.meta.pixelId).setEvents([event]).execute();
}

const registration = (user, request) => sendEvent('CompleteRegistration', user, request);
const purchase = (user, request, value) => sendEvent('Purchase', user, request, new bizSdk.CustomData().setValue(value).setCurrency('usd'));

module.exports = { registration, purchase };
