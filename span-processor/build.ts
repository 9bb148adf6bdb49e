// The engine from a config and a fingerprint key: registry, destination catalog, detector. One
// function, because the app's thread and the analysis thread must build exactly the same engine.
// The catalog is built on its own: with the analysis thread, the app's thread needs only the
// catalog at start (which responses to copy, which hosts are first party), and the rest of the
// engine (detector, registry, libphonenumber's metadata) only if a first-party call asks for
// baggage ids, so those modules are loaded on first use.
import type { SstConfig } from './config';
import type { Engine } from './engine';
import { createCatalog, type Catalog } from './catalog/catalog';

export function buildCatalog(cfg: SstConfig, report: (message: string) => void): Catalog {
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  for (const err of catalog.errors) report(`config: ${err}`);
  return catalog;
}

export function buildEngine(cfg: SstConfig, key: Buffer, report: (message: string) => void, catalog = buildCatalog(cfg, report)): Engine {
  const { Engine } = require('./engine') as typeof import('./engine');
  const { createDetector } = require('./detect') as typeof import('./detect');
  const { createRegistry } = require('./registry/registry') as typeof import('./registry/registry');
  const registry = createRegistry({
    key, defaultPhoneRegion: cfg.defaultPhoneRegion,
    ttlSeconds: cfg.registry.ttlSeconds, maxBytes: cfg.registry.maxBytes,
  });
  return new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
}
