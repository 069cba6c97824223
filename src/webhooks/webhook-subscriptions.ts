// Adding a webhook subscription: checks the name, target and events, makes a secret when none is given, and
// starts the hook at the newest outbox event (a hook gets what happens after it exists, as in SuperOffice).
import { ConfigError } from '../config.ts';
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '../domain/events.ts';
import type { ParleyStore } from '../storage/store.ts';
import { generateSecret } from './signature.ts';

export interface WebhookInput {
  name: string;
  targetUrl: string;
  events?: readonly string[];
  secret?: string;
}

export async function addWebhook(store: ParleyStore, input: WebhookInput, now: Date): Promise<{ id: number; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 255) throw new ConfigError('A webhook needs a name of 1 to 255 characters');
  let url: URL;
  try {
    url = new URL(input.targetUrl);
  } catch {
    throw new ConfigError(`'${input.targetUrl}' is not a URL`);
  }
  // SuperOffice insists on HTTPS; Parley also takes http: for receivers on the same machine or network.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('A webhook URL must be http: or https:');
  if (input.targetUrl.length > 2048) throw new ConfigError('A webhook URL is at most 2048 characters');
  const events = [...new Set((input.events?.length ? input.events : DEFAULT_WEBHOOK_EVENTS).map((e) => e.trim().toLowerCase()))];
  const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) throw new ConfigError(`Unknown webhook event ${unknown.join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`);
  if (input.secret !== undefined && (!input.secret || input.secret.length > 255)) {
    throw new ConfigError('A webhook secret is 1 to 255 characters');
  }
  const secret = input.secret ?? generateSecret();
  const id = await store.webhooks.insert({
    name,
    targetUrl: input.targetUrl,
    secret,
    events,
    deliveredUpTo: await store.events.lastId(),
    createdAt: now,
  });
  return { id, secret };
}

/** The URL for showing: a password in it (sent as Basic authorization) is masked. */
export function displayUrl(targetUrl: string): string {
  try {
    const url = new URL(targetUrl);
    if (url.password) url.password = '***';
    // Query strings often carry the receiver's API key: the names stay readable, the values do not.
    for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, '***');
    return url.toString();
  } catch {
    return targetUrl;
  }
}
