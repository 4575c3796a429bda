import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account, type KoaContextWithOIDC } from 'oidc-provider';

// A real OpenID Connect provider (oidc-provider) on a loopback port, for the single
// sign-on tests. Its one interaction signs in whichever account the test chose with
// signInAs(); everything else (discovery, keys, codes, PKCE, tokens, userinfo) is the
// library's own, exactly as a production provider would answer.

type TestAccount = { email: string; emailVerified: boolean; name: string; groups?: string[] };

export type TestIssuer = {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The account the next visit to the provider signs in as (its subject is the key). */
  signInAs: (subject: string, account: TestAccount) => void;
  /** The paths this provider was asked for, in order: proof the app reached it for real. */
  requests: string[];
  close: () => Promise<void>;
};

export async function startIssuer({ redirectUri }: { redirectUri: string }): Promise<TestIssuer> {
  const accounts = new Map<string, TestAccount>();
  let next: string | null = null;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'cosponsor-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';

  const provider = new Provider(url, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_post' }],
    // PKCE for every client, not only public ones: the app must send it.
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    cookies: { keys: ['test-issuer-cookie-key'] },
    // Set, so the provider does not print a notice for each default it uses.
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, subject): Account | undefined => {
      const account = accounts.get(subject);
      if (!account) return undefined;
      return {
        accountId: subject,
        claims: () => ({
          sub: subject,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.name,
          ...(account.groups ? { groups: account.groups } : {}),
        }),
      };
    },
  });
  // Quiet: the provider reports refused requests as events, which tests look at through the app.
  provider.on('server_error', () => {});

  provider.use(async (ctx: KoaContextWithOIDC, nextMiddleware) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(ctx.path);
    if (!match) return nextMiddleware();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!next) throw new Error('The test did not say whom to sign in as (signInAs).');
    const accountId = next;
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  });

  const requests: string[] = [];
  server.on('request', (req: http.IncomingMessage) => requests.push(new URL(req.url ?? '/', url).pathname));
  server.on('request', provider.callback());
  return {
    requests,
    url,
    clientId,
    clientSecret,
    signInAs: (subject, account) => {
      accounts.set(subject, account);
      next = subject;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies by name, as a browser would keep them for one site (paths are ignored: the names differ). */
class CookieJar {
  private cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Follows the provider's redirects from the authorization URL, as the browser would,
 * until it points back at the app; returns that callback URL.
 */
export async function visitProvider(authorizationUrl: string, appUrl: string): Promise<URL> {
  const jar = new CookieJar();
  let location = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (location.startsWith(appUrl)) return new URL(location);
    const response = await fetch(location, { redirect: 'manual', headers: { Cookie: jar.header() } });
    jar.take(response);
    const nextLocation = response.headers.get('location');
    if (!nextLocation) throw new Error(`The provider answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
    await response.arrayBuffer();
    location = new URL(nextLocation, location).href;
  }
  throw new Error('Too many redirects at the provider.');
}
