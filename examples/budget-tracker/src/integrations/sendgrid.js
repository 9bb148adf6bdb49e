'use strict';
// Transactional mail through SendGrid.
const sgMail = require('@sendgrid/mail');
const config = require('../config');
const { splitName } = require('../lib/people');

if (config.sendgrid.apiKey) sgMail.setApiKey(config.sendgrid.apiKey);

async function sendWelcome(user) {
  if (!config.sendgrid.apiKey) return;
  const { first } = splitName(user.name);
  await sgMail.send({
    to: user.email,
    from: config.sendgrid.from,
    subject: `Welcome to Budget Tracker, ${first}!`,
    text: `Hi ${first},\n\nyour account is ready. Add a few expenses and ask for your first budgeting tips.\n\nThe Budget Tracker team`,
  });
}

module.exports = { sendWelcome };
