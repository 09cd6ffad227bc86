/**
 * Guest sign-in follows the configuration's auth.environment, not NODE_ENV (issue 9 review, H2):
 * the guest provider's own dangerouslyAllowOutsideDevelopment guard reads NODE_ENV, so the
 * production profile started with NODE_ENV=development signed guests in. Through the real
 * backend: portal.postgres.test.ts (guest refresh answers 404 on the production profile).
 */
import { ConfigReader } from '@backstage/config';
import { guestSignInAllowed } from './features';

const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

it('leaves guest sign-in out when auth.environment is production, even with NODE_ENV=development', () => {
  process.env.NODE_ENV = 'development';
  expect(
    guestSignInAllowed(
      new ConfigReader({ auth: { environment: 'production' } }),
    ),
  ).toBe(false);
});

it('leaves guest sign-in out when auth.environment is not set', () => {
  process.env.NODE_ENV = 'development';
  expect(guestSignInAllowed(new ConfigReader({}))).toBe(false);
});

it('adds guest sign-in when auth.environment is development', () => {
  expect(
    guestSignInAllowed(
      new ConfigReader({ auth: { environment: 'development' } }),
    ),
  ).toBe(true);
});
