import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../app/utils/env.server';
import { rolesFromSignOnGroups } from '../../workflows/policy';

const problemsOf = (source: Record<string, string>) => {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return error.problems;
  }
};

const OIDC = { OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'cosponsor', OIDC_CLIENT_SECRET: 'a-secret' };

describe('single sign-on settings', () => {
  it('takes the three OIDC variables together, and LOCAL_LOGIN=off with them', () => {
    expect(parseEnv({ ...OIDC, LOCAL_LOGIN: 'off' })).toMatchObject({ ...OIDC, LOCAL_LOGIN: false });
    expect(parseEnv({}).LOCAL_LOGIN).toBe(true);
  });

  it('names each missing one when only some are set', () => {
    const problems = problemsOf({ OIDC_ISSUER: OIDC.OIDC_ISSUER });
    expect(problems.map((p) => p.variable).sort()).toEqual(['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
    expect(problems[0]!.message).toContain('all three or none');
  });

  it('refuses LOCAL_LOGIN=off without single sign-on: nobody could sign in', () => {
    const problems = problemsOf({ LOCAL_LOGIN: 'off' });
    expect(problems).toEqual([{ variable: 'LOCAL_LOGIN', message: expect.stringContaining('otherwise nobody could sign in') }]);
    expect(problemsOf({ LOCAL_LOGIN: 'no' })[0]).toMatchObject({ variable: 'LOCAL_LOGIN', message: 'must be on or off (got "no")' });
  });

  it('wants an https issuer, except plain http on the loopback host', () => {
    expect(problemsOf({ ...OIDC, OIDC_ISSUER: 'http://id.example.org' })[0]).toMatchObject({
      variable: 'OIDC_ISSUER',
      message: expect.stringContaining('must be an https:// URL'),
    });
    expect(parseEnv({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4100' }).OIDC_ISSUER).toBe('http://127.0.0.1:4100');
  });
});

describe('roles from the provider’s groups', () => {
  it('maps cosponsor-staff and cosponsor-reviewer, in any case, and nothing else', () => {
    expect(rolesFromSignOnGroups(['Cosponsor-Staff', 'cosponsor-reviewer', 'cosponsor-reviewer'])).toEqual(['reviewer', 'staff']);
    expect(rolesFromSignOnGroups('cosponsor-staff, everyone')).toEqual(['staff']);
  });

  it('never gives admin or chapter lead, and ignores what is not a group name', () => {
    expect(rolesFromSignOnGroups(['cosponsor-admin', 'admin', 'cosponsor-chapter_lead', 'constructor', '__proto__', 7, null])).toEqual([]);
    expect(rolesFromSignOnGroups(undefined)).toEqual([]);
    expect(rolesFromSignOnGroups({ staff: true })).toEqual([]);
  });
});
