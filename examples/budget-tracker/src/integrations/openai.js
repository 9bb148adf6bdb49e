'use strict';
// Budgeting tips from an LLM (OpenAI chat completions).
const OpenAI = require('openai');
const config = require('../config');
const { splitName, usd, usdCents } = require('../lib/people');

const client = config.openai.apiKey ? new OpenAI({ apiKey: config.openai.apiKey, maxRetries: 1, timeout: 20_000 }) : undefined;

const SYSTEM = 'You are the budgeting coach inside the Budget Tracker app. Answer in at most three short, concrete suggestions. Be friendly, never judgmental.';

function prompt(user, totals) {
  const { first } = splitName(user.name);
  const spent = totals.reduce((sum, t) => sum + Number(t.total_cents), 0);
  const lines = totals.map((t) => `- ${t.category}: ${usdCents(Number(t.total_cents))} (${t.count} expenses)`);
  return [
    `Hi, I'm ${first}. My annual income is ${usd(Number(user.annual_income))}, about ${usd(Number(user.annual_income) / 12)} a month before tax.`,
    `In the last 30 days I spent ${usdCents(spent)}:`,
    ...lines,
    'Where could I save, and am I on track to put 20% aside?',
  ].join('\n');
}

async function budgetTips(user, totals) {
  if (!client) return 'AI insights are not configured on this server.';
  const completion = await client.chat.completions.create({
    model: config.openai.model,
    temperature: 0.4,
    max_tokens: 300,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: prompt(user, totals) },
    ],
  });
  return completion.choices[0]?.message?.content ?? '';
}

module.exports = { budgetTips };
