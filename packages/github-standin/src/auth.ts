/**
 * Authentication as GitHub does it: `token X` / `Bearer X` personal tokens, GitHub App JWTs
 * (RS256, `iss` = the app id) for the /app endpoints, and the installation tokens they mint.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { decodeJwt, type JWTPayload, jwtVerify } from 'jose';
import type { Identity } from './state';

/** An installation on `account` (a user or organization). */
export type AppInstallationConfig = { id: number; account: string };

/** A GitHub App (README, `apps`): its JWTs' `iss` is `id` or `clientId`. */
export interface AppConfig {
  id: number;
  clientId?: string;
  /** Installation tokens act as `<slug>[bot]`; default `standin-app-<id>`. */
  slug?: string;
  /** PEM public key the app's JWTs are verified with. */
  publicKey: string;
  /** Default: one installation on every owner that has a repository. */
  installations?: AppInstallationConfig[];
}

/** Who a request acts as, and on /app routes the app whose JWT it carries; or GitHub's 401 message. */
export type AuthResult =
  | { ok: true; identity: Identity; app?: AppConfig }
  | { ok: false; message: string };

type InstallationToken = { token: string; expiresAt: Date; identity: Identity };

const UNDECODABLE = 'A JSON web token could not be decoded';
const refused = (message: string): AuthResult => ({ ok: false, message });

export class Authenticator {
  private readonly installationTokens = new Map<string, InstallationToken>();

  constructor(
    private readonly tokens: readonly string[],
    readonly apps: readonly AppConfig[],
    /** Who a personal token acts as. */
    readonly user: Identity,
    private readonly now: () => Date,
  ) {
    for (const app of apps) createPublicKey(app.publicKey); // fail at start, not at the first request
  }

  /** A request to the REST, GraphQL or raw endpoints. */
  authenticate(header: string | undefined): AuthResult {
    const token = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const installation = token && this.installationTokens.get(token);
    if (installation)
      return installation.expiresAt <= this.now()
        ? refused('Bad credentials')
        : { ok: true, identity: installation.identity };
    if (this.tokens.length === 0 || (token && this.tokens.includes(token)))
      return { ok: true, identity: this.user };
    return refused(header ? 'Bad credentials' : 'Requires authentication');
  }

  /**
   * A request to /app/...: a `Bearer` GitHub App JWT whose `iss` is a configured app, signed RS256
   * with its key, issued in the past and expiring within about ten minutes (jose checks signature
   * and times against the stand-in's clock, with GitHub's minute of drift).
   */
  async authenticateApp(header: string | undefined): Promise<AuthResult> {
    const jwt = /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
    let claims: JWTPayload;
    try {
      claims = decodeJwt(jwt);
    } catch {
      return refused(UNDECODABLE);
    }
    const { iat = 0, exp = 0 } = claims;
    // `iss` is the app id as a number (what @octokit/auth-app sends) or the client id
    const issuer = String(claims.iss);
    const app = this.apps.find(candidate =>
      [String(candidate.id), candidate.clientId].includes(issuer),
    );
    if (!app)
      return refused(
        `'Issuer' claim ('iss') must be an Integer or the client ID of a configured app`,
      );
    if (exp - iat > 660)
      return refused(
        "'Expiration time' claim ('exp') is too far in the future",
      );
    try {
      await jwtVerify(jwt, createPublicKey(app.publicKey), {
        algorithms: ['RS256'],
        requiredClaims: ['iat', 'exp'],
        maxTokenAge: 660,
        currentDate: this.now(),
        clockTolerance: 60,
      });
    } catch {
      return refused(UNDECODABLE);
    }
    return { ok: true, identity: this.user, app };
  }

  slugOf(app: AppConfig): string {
    return app.slug ?? `standin-app-${app.id}`;
  }

  /** A token acting as the app's bot for an hour. */
  issueInstallationToken(app: AppConfig): InstallationToken {
    const token: InstallationToken = {
      token: `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`,
      expiresAt: new Date(this.now().getTime() + 60 * 60 * 1000),
      identity: { login: `${this.slugOf(app)}[bot]`, type: 'Bot' },
    };
    this.installationTokens.set(token.token, token);
    return token;
  }
}
