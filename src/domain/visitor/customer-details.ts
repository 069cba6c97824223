// What a customer tells about themselves (pre-chat and offline forms), and the checks on it: the topic's required
// fields, and an e-mail address that looks like one.
import { invalid } from '../errors.ts';
import { WidgetRequiredFields as F } from '../enums.ts';
import type { Session } from '../types.ts';

export interface CustomerDetails {
  customerName?: string;
  customerEmail?: string;
  customerPhone?: string;
  customerCompanyName?: string;
  customerAlias?: string;
  countryId?: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Names of the required fields (WidgetRequiredFields bits) the details leave empty. */
export function missingFields(required: number, d: CustomerDetails): string[] {
  const missing: string[] = [];
  if (required & F.Email && !d.customerEmail?.trim()) missing.push('CustomerEmail');
  if (required & F.Name && !d.customerName?.trim()) missing.push('CustomerName');
  if (required & F.Company && !d.customerCompanyName?.trim()) missing.push('CustomerCompanyName');
  if (required & F.Phone && !d.customerPhone?.trim()) missing.push('CustomerPhone');
  if (required & F.Country && !(d.countryId && d.countryId > 0)) missing.push('CountryId');
  return missing;
}

export function requireFields(required: number, d: CustomerDetails) {
  const missing = missingFields(required, d);
  if (missing.length) throw invalid(`Required: ${missing.join(', ')}`);
  checkEmail(d);
}

export function checkEmail(d: CustomerDetails) {
  if (d.customerEmail?.trim() && !EMAIL.test(d.customerEmail.trim())) throw invalid('CustomerEmail is not an e-mail address');
}

/** The session with the details given (blank ones leave what it had). */
export function withDetails(s: Session, d: CustomerDetails): Session {
  const pick = (v: string | undefined, f: string) => (v?.trim() ? v.trim() : f);
  return {
    ...s,
    customerName: pick(d.customerName, s.customerName),
    customerEmail: pick(d.customerEmail, s.customerEmail),
    customerPhone: pick(d.customerPhone, s.customerPhone),
    customerCompanyName: pick(d.customerCompanyName, s.customerCompanyName),
    customerAlias: pick(d.customerAlias, s.customerAlias),
  };
}
