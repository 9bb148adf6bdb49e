// The synthetic people the e2e apps receive. Phones are valid for libphonenumber; nothing here is
// a real person.
import type { Person } from './harness/leak-check';

export const FBP_COOKIE = 'fb.1.1732611045123.4827165930';

/** POST /register on express-register.cjs (JSON body plus the `_fbp` cookie). */
export const REGISTRANT = {
  email: 'Marisol.Quintero@Gmail.com',
  phone: '(415) 555-0148',
  phoneE164: '+14155550148',
  firstName: 'Marisol',
  lastName: 'Quintero',
  birthdate: '1988-04-23',
  gender: 'female',
  city: 'Santa Rosa',
  zip: '95404',
  income: 85000,
} as const;

/** The sign-up express-register.cjs receives in every e2e run: the registrant's data, the Meta cookie. */
export function registerRequest(): { method: string; headers: Record<string, string>; body: string } {
  const P = REGISTRANT;
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `_fbp=${FBP_COOKIE}; sid=8f2a61c0` },
    body: JSON.stringify({
      email: P.email, phone: P.phone, firstName: P.firstName, lastName: P.lastName, birthdate: P.birthdate,
      gender: P.gender, city: P.city, zip: P.zip, income: P.income, plan: 'free',
    }),
  };
}

export const REGISTRANT_LEAK_PROFILE: Person = {
  email: REGISTRANT.email,
  phone: REGISTRANT.phone,
  phoneE164: REGISTRANT.phoneE164,
  firstName: REGISTRANT.firstName,
  lastName: REGISTRANT.lastName,
  birthdate: REGISTRANT.birthdate,
  other: { city: REGISTRANT.city, zip: REGISTRANT.zip, income: String(REGISTRANT.income), fbp: FBP_COOKIE },
};

/** POST /subscribe on raw-http-form.mjs (url-encoded form). */
export const SUBSCRIBER = {
  email: 'Oskar.Lindqvist@Fastmail.se',
  name: 'Oskar Lindqvist',
  firstName: 'Oskar',
  lastName: 'Lindqvist',
  phone: '+46 70 123 45 67',
  phoneE164: '+46701234567',
  consent: 'yes',
} as const;

export const SUBSCRIBER_LEAK_PROFILE: Person = {
  email: SUBSCRIBER.email,
  phone: SUBSCRIBER.phone,
  phoneE164: SUBSCRIBER.phoneE164,
  firstName: SUBSCRIBER.firstName,
  lastName: SUBSCRIBER.lastName,
};
