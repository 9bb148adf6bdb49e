// `node --import @sst/otel-auto app.mjs`: the ESM entry. It runs before the app's first module is
// loaded; the CommonJS entry does the work (SDK, loader hooks for ESM, exit handling).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const api: typeof import('./index.js') = require('./index.js');

export const { start, shutdown, current, isDisabled } = api;
