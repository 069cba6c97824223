// How callers may authenticate, as the configuration sets it (config.ts reads it from the environment).

export interface JwtSettings {
  issuer: string;
  jwksUrl?: string;
  jwksFile?: string;
  audience: string;
  userClaim: string;
}

export interface AuthSettings {
  basicEnabled: boolean;
  ticketHours: number;
  webSessionHours: number;
  cacheSeconds: number;
  requireAppToken: boolean;
  /** Failed password log-ins allowed per minute, per client address and per user name; 0: no limit. */
  loginFailuresPerMinute: number;
  /** Users bound to a single sign-on identity may also log in with their password (false: single sign-on only). */
  ssoUsersPasswordLogin?: boolean;
  jwt?: JwtSettings;
}
