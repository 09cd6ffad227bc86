/**
 * Signing users in on a backend started with testing/permissionsBackend.ts (see
 * testSignInModule.ts); no Backstage import, so jest tests can use it.
 */
export const TEST_PROVIDER_ID = 'portal-tests';
export const TEST_USER_HEADER = 'x-portal-test-user';

/** A Backstage token of catalog User `name`, signed in through the test provider of `baseUrl`'s backend. */
export async function userToken(
  baseUrl: string,
  name: string,
): Promise<string> {
  const response = await fetch(
    `${baseUrl}/api/auth/${TEST_PROVIDER_ID}/refresh`,
    { headers: { [TEST_USER_HEADER]: name } },
  );
  const body = (await response.json()) as {
    backstageIdentity?: { token?: string };
  };
  const token = body.backstageIdentity?.token;
  if (!response.ok || !token)
    throw new Error(
      `signing in as ${name} answered ${response.status}: ${JSON.stringify(body)}`,
    );
  return token;
}
