/**
 * Authentication as GitHub does it: `token X` / `Bearer X` personal tokens, GitHub App JWTs
 * (RS256, `iss` = the app id) for the /app endpoints, and the installation tokens they mint.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Identity } from './state';

export interface AppInstallationConfig {
  id: number;
  /** The user or organization the app is installed on. */
  account: string;
}

export interface AppConfig {
  /** The app id (a JWT's `iss`). */
  id: number;
  /** Also accepted as `iss` (GitHub accepts the client id too). */
  clientId?: string;
  /** Shown as `app_slug`; installation tokens act as `<slug>[bot]`. Default `standin-app-<id>`. */
  slug?: string;
  /** PEM public key the app's JWTs are verified with. */
  publicKey: string;
  /** Default: one installation on every owner that has a repository. */
  installations?: AppInstallationConfig[];
}

export type AuthResult =
  | { ok: true; identity: Identity }
  | { ok: false; status: 401; message: string };

export interface InstallationToken {
  token: string;
  expiresAt: Date;
  appId: number;
  installationId: number;
  identity: Identity;
}

function credentialOf(
  header: string | undefined,
): { scheme: 'token' | 'bearer'; value: string } | undefined {
  if (!header) return undefined;
  const match = /^(token|bearer)\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  return {
    scheme: (match[1] as string).toLowerCase() === 'token' ? 'token' : 'bearer',
    value: match[2] as string,
  };
}

const UNDECODABLE = 'A JSON web token could not be decoded';

export class Authenticator {
  private readonly tokens: Set<string>;
  private readonly installationTokens = new Map<string, InstallationToken>();

  constructor(
    tokens: readonly string[],
    readonly apps: readonly AppConfig[],
    /** Who a personal token acts as. */
    readonly user: Identity,
    private readonly now: () => Date,
  ) {
    this.tokens = new Set(tokens);
    for (const app of apps) createPublicKey(app.publicKey); // fail at start, not at the first request
  }

  /** A request to the REST, GraphQL or raw endpoints. */
  authenticate(header: string | undefined): AuthResult {
    const credential = credentialOf(header);
    if (credential) {
      const installation = this.installationTokens.get(credential.value);
      if (installation) {
        if (installation.expiresAt.getTime() <= this.now().getTime())
          return { ok: false, status: 401, message: 'Bad credentials' };
        return { ok: true, identity: installation.identity };
      }
      if (this.tokens.has(credential.value))
        return { ok: true, identity: this.user };
    }
    if (this.tokens.size === 0) return { ok: true, identity: this.user };
    if (!header)
      return { ok: false, status: 401, message: 'Requires authentication' };
    return { ok: false, status: 401, message: 'Bad credentials' };
  }

  /**
   * A request to /app/...: must carry a GitHub App JWT whose `iss` is a configured app, signed
   * RS256 with its key, issued in the past and expiring within about ten minutes (jose checks
   * signature and times against the stand-in's clock, with GitHub's minute of drift).
   */
  async authenticateApp(
    header: string | undefined,
  ): Promise<
    { ok: true; app: AppConfig } | { ok: false; status: 401; message: string }
  > {
    const refuse = (message: string) =>
      ({ ok: false, status: 401, message }) as const;
    const credential = credentialOf(header);
    if (credential?.scheme !== 'bearer') return refuse(UNDECODABLE);
    let payload: JWTPayload;
    try {
      payload = decodeJwt(credential.value);
    } catch {
      return refuse(UNDECODABLE);
    }
    const app = this.apps.find(
      candidate =>
        String(candidate.id) === String(payload.iss) ||
        (candidate.clientId !== undefined &&
          candidate.clientId === payload.iss),
    );
    if (!app)
      return refuse(
        `'Issuer' claim ('iss') must be an Integer or the client ID of a configured app`,
      );
    const { iat = 0, exp = 0 } = payload;
    if (exp - iat > 660)
      return refuse("'Expiration time' claim ('exp') is too far in the future");
    try {
      await jwtVerify(credential.value, createPublicKey(app.publicKey), {
        algorithms: ['RS256'],
        requiredClaims: ['iat', 'exp'],
        maxTokenAge: 660,
        currentDate: this.now(),
        clockTolerance: 60,
      });
    } catch {
      return refuse(UNDECODABLE);
    }
    return { ok: true, app };
  }

  slugOf(app: AppConfig): string {
    return app.slug ?? `standin-app-${app.id}`;
  }

  issueInstallationToken(
    app: AppConfig,
    installationId: number,
  ): InstallationToken {
    const token: InstallationToken = {
      token: `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`,
      expiresAt: new Date(this.now().getTime() + 60 * 60 * 1000),
      appId: app.id,
      installationId,
      identity: { login: `${this.slugOf(app)}[bot]`, type: 'Bot' },
    };
    this.installationTokens.set(token.token, token);
    return token;
  }
}
