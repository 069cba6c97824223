// Issues Parley's credentials: SoTickets, web sessions (cookie + XSRF token), API tokens and app tokens. Only a
// digest of each secret is stored; the secret itself is handed out once, here.
import type { Clock } from '../domain/ports.ts';
import type { Actor } from '../domain/rights.ts';
import type { ParleyStore } from '../storage/store.ts';
import type { AuthSettings } from './auth-settings.ts';
import { digest, newSecret } from './secrets.ts';

export class CredentialIssuer {
  constructor(
    private readonly store: Pick<ParleyStore, 'credentials'>,
    private readonly settings: Pick<AuthSettings, 'ticketHours' | 'webSessionHours'>,
    private readonly clock: Clock,
  ) {}

  async ticket(actor: Actor) {
    const ticket = newSecret('7T:');
    const expires = new Date(this.clock.now().getTime() + this.settings.ticketHours * 3_600_000);
    await this.store.credentials.insert({ kind: 'ticket', tokenHash: digest(ticket), associateId: actor.id, createdAt: this.clock.now(), expiresAt: expires });
    return { ticket, expires };
  }

  async webSession(actor: Actor) {
    const session = newSecret();
    const xsrfToken = newSecret();
    const expires = new Date(this.clock.now().getTime() + this.settings.webSessionHours * 3_600_000);
    await this.store.credentials.insert({
      kind: 'web-session',
      tokenHash: digest(session),
      associateId: actor.id,
      xsrfToken,
      createdAt: this.clock.now(),
      expiresAt: expires,
    });
    return { session, xsrfToken, expires };
  }

  async apiToken(associateId: number, name: string, days: number | null) {
    const token = newSecret('8A:');
    const expires = days ? new Date(this.clock.now().getTime() + days * 86_400_000) : null;
    const id = await this.store.credentials.insert({
      kind: 'api-token',
      tokenHash: digest(token),
      associateId,
      name,
      createdAt: this.clock.now(),
      expiresAt: expires,
    });
    return { id, token, expires };
  }

  async appToken(name: string) {
    const token = newSecret('app:');
    const id = await this.store.credentials.insert({
      kind: 'app-token',
      tokenHash: digest(token),
      associateId: null,
      name,
      createdAt: this.clock.now(),
      expiresAt: null,
    });
    return { id, token };
  }
}
