// Context propagation that stays first-party (semconv §7). The stock SDK injects traceparent and
// baggage into every outgoing request; a vendor then learns our trace ids and whatever baggage
// holds. This propagator asks the CLIENT span being injected where the request goes and injects
// only for first-party hosts, adding the fingerprint ids of the request's personal data as
// baggage (`sst.fp`, `sst.subject`) so a downstream service can tie its flows to ours.
import {
  propagation, trace, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

export interface PropagationPolicy {
  isFirstParty(host: string): boolean;
  /** Fingerprint ids carried by the request this trace serves, if any (for baggage). */
  fingerprintsFor(traceId: string): { fps: readonly string[]; subjects: readonly string[] } | undefined;
}

const HOST_ATTRS = ['server.address', 'net.peer.name', 'http.host'] as const;
const URL_ATTRS = ['url.full', 'http.url'] as const;
const MAX_BAGGAGE_IDS = 32;

/** Destination host of an outgoing HTTP span from its standard attributes; undefined if not HTTP. */
export function destinationHost(attrs: Record<string, unknown> | undefined): string | undefined {
  if (!attrs) return undefined;
  for (const k of HOST_ATTRS) {
    const v = attrs[k];
    if (typeof v === 'string' && v) return v.replace(/:\d+$/, '').toLowerCase();
  }
  for (const k of URL_ATTRS) {
    const v = attrs[k];
    if (typeof v === 'string' && v) {
      try { return new URL(v).hostname.toLowerCase(); } catch { /* not a URL */ }
    }
  }
  return undefined;
}

function isHttpClientSpan(attrs: Record<string, unknown>): boolean {
  return 'http.method' in attrs || 'http.request.method' in attrs || 'url.full' in attrs || 'http.url' in attrs;
}

export class FirstPartyPropagator implements TextMapPropagator {
  private readonly inner: TextMapPropagator;

  constructor(private readonly policy: PropagationPolicy, inner?: TextMapPropagator) {
    this.inner = inner ?? new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    });
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    // SDK spans expose their attributes; a non-recording span has none and tells us nothing.
    const attrs = (span as unknown as { attributes?: Record<string, unknown> } | undefined)?.attributes;
    if (attrs && isHttpClientSpan(attrs)) {
      const host = destinationHost(attrs);
      if (!host || !this.policy.isFirstParty(host)) return;
      context = withSstBaggage(context, this.policy, span!.spanContext().traceId);
    } else if (span && !attrs) {
      // Non-recording span: its destination is unknown, so nothing leaves.
      return;
    }
    this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

function withSstBaggage(context: Context, policy: PropagationPolicy, traceId: string): Context {
  const carried = policy.fingerprintsFor(traceId);
  if (!carried || carried.fps.length === 0) return context;
  let bag = propagation.getBaggage(context) ?? propagation.createBaggage();
  bag = bag.setEntry('sst.fp', { value: carried.fps.slice(0, MAX_BAGGAGE_IDS).join(',') });
  if (carried.subjects.length) bag = bag.setEntry('sst.subject', { value: carried.subjects.slice(0, MAX_BAGGAGE_IDS).join(',') });
  return propagation.setBaggage(context, bag);
}
