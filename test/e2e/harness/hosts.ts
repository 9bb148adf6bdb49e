// Every hostname the e2e apps talk to. The fakes' certificate lists them all as SANs; the DNS
// preload sends every one of them to the fakes' loopback address.
export const VENDOR_HOSTS: readonly string[] = [
  'graph.facebook.com',
  'api.segment.io',
  'us.i.posthog.com',
  'api.sendgrid.com',
  'risk.partner-example.com',
  'www.google-analytics.com',
  'datamanager.googleapis.com',
  'api.exchangerate.example',
  'api.hubapi.com',
  'a.klaviyo.com',
  'track.customer.io',
  'api.openai.com',
  'api.anthropic.com',
];

/** Reached over plain HTTP (:80) and configured as first party in the apps that use it. */
export const FIRST_PARTY_HOSTS: readonly string[] = ['accounts.internal.example'];

/** The HMAC key the apps run with: fingerprint ids in tests are computed from it (semconv §3). */
export const FINGERPRINT_KEY = 'e2e-test-key-0123456789abcdef';
