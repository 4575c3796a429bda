import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { env, EnvError, fixEnvironment, parseEnv, withEnvReadOnce } from '../../app/utils/env.server';
import { fixLogConfig, logConfig } from '../../db/checkpoints';

describe('the environment schema', () => {
  it('gives the defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', SESSION_TTL_HOURS: 12, MOCKS: false, TRUST_PROXY: undefined, OUTSIDE_TIMEOUT_MS: 5000 });
    expect(env.SCREENING_URL).toBeUndefined();
  });

  it('reads numbers, flags and URLs, treating empty as unset', () => {
    const env = parseEnv({ PORT: '3103', MOCKS: 'true', REGISTRY_CACHE_TTL_HOURS: '0', SCREENING_URL: ' https://screening.example/ ', APP_URL: '' });
    expect(env).toMatchObject({ PORT: 3103, MOCKS: true, REGISTRY_CACHE_TTL_HOURS: 0, SCREENING_URL: 'https://screening.example/' });
    expect(env.APP_URL).toBeUndefined();
  });

  it('names every bad variable, with what it must be and what it got', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', OUTSIDE_TIMEOUT_MS: '-5', SLACK_WEBHOOK_URL: 'hooks.slack', MOCKS: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['MOCKS', 'OUTSIDE_TIMEOUT_MS', 'PORT', 'SLACK_WEBHOOK_URL']);
    expect((error as EnvError).message).toContain('PORT must be a port number (0-65535) (got "eighty")');
    expect((error as EnvError).message).toContain('SLACK_WEBHOOK_URL must be an absolute URL');
  });

  it('reads numbers only as plain decimals: not hexadecimal, binary, exponents or a bare sign', () => {
    for (const spelled of ['0x10', '0b11', '1e3', '+5', '5.', 'Infinity']) {
      expect(() => parseEnv({ SHUTDOWN_TIMEOUT_MS: spelled }), spelled).toThrow(/SHUTDOWN_TIMEOUT_MS must be a number of milliseconds/);
    }
    expect(() => parseEnv({ PORT: '0x50' })).toThrow(/PORT must be a port number/);
    expect(parseEnv({ SHUTDOWN_TIMEOUT_MS: ' 2500 ', OUTSIDE_TIMEOUT_MS: '1500.5' })).toMatchObject({ SHUTDOWN_TIMEOUT_MS: 2500, OUTSIDE_TIMEOUT_MS: 1500.5 });
  });

  it('reads SMTP_URL and MAIL_FROM, refusing other schemes and senders that could add a header, never repeating a password', () => {
    expect(parseEnv({ SMTP_URL: 'smtp://user:pw@mail.example.org:587', MAIL_FROM: 'Cosponsor <cosponsor@example.org>' })).toMatchObject({
      SMTP_URL: 'smtp://user:pw@mail.example.org:587',
      MAIL_FROM: 'Cosponsor <cosponsor@example.org>',
    });
    expect(parseEnv({ SMTP_URL: 'smtps://mail.example.org', MAIL_FROM: 'cosponsor@example.org' }).SMTP_URL).toBe('smtps://mail.example.org');
    let error: unknown;
    try {
      parseEnv({ SMTP_URL: 'https://user:hunter2@mail.example.org', MAIL_FROM: 'Cosponsor\r\nBcc: x@evil.test <cosponsor@example.org>' });
    } catch (e) {
      error = e;
    }
    expect((error as EnvError).problems.map((p) => p.variable).sort()).toEqual(['MAIL_FROM', 'SMTP_URL']);
    expect((error as EnvError).message).toContain('SMTP_URL must be an smtp:// or smtps:// URL');
    expect((error as EnvError).message).not.toContain('hunter2');
  });

  it('requires a session secret in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET must be set in production/);
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'a-long-random-string' }).SESSION_SECRET).toBe('a-long-random-string');
  });

  it('the server refuses to start on a bad variable, naming it', () => {
    const run = spawnSync(process.execPath, ['build/server/server.js'], {
      env: { ...process.env, PORT: 'abc', DATABASE_PATH: ':memory:' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT must be a port number (0-65535) (got "abc")');
  });
});

describe('withEnvReadOnce', () => {
  const restore = (saved: string | undefined) => {
    if (saved === undefined) delete process.env.OUTSIDE_TIMEOUT_MS;
    else process.env.OUTSIDE_TIMEOUT_MS = saved;
  };

  it('reads the environment at its first use, keeps it for the rest of the call, and reads afresh after it', () => {
    const saved = process.env.OUTSIDE_TIMEOUT_MS;
    try {
      process.env.OUTSIDE_TIMEOUT_MS = '1000';
      expect(env().OUTSIDE_TIMEOUT_MS).toBe(1000);
      const seen = withEnvReadOnce(() => {
        // Not read yet: a call that never asks (a decision that announces nothing) pays nothing.
        process.env.OUTSIDE_TIMEOUT_MS = '2000';
        const first = env().OUTSIDE_TIMEOUT_MS;
        process.env.OUTSIDE_TIMEOUT_MS = '3000';
        return [first, env().OUTSIDE_TIMEOUT_MS, withEnvReadOnce(() => env().OUTSIDE_TIMEOUT_MS)];
      });
      expect(seen).toEqual([2000, 2000, 2000]);
      expect(env().OUTSIDE_TIMEOUT_MS).toBe(3000);
    } finally {
      restore(saved);
    }
  });

  it('lets every read of an invalid environment throw, as outside it', () => {
    const saved = process.env.OUTSIDE_TIMEOUT_MS;
    try {
      process.env.OUTSIDE_TIMEOUT_MS = '-5';
      const errors = withEnvReadOnce(() =>
        [0, 1].map(() => {
          try {
            env();
            return null;
          } catch (error) {
            return error;
          }
        }),
      );
      expect(errors.every((e) => e instanceof EnvError)).toBe(true);
      expect(withEnvReadOnce(() => 'ran')).toBe('ran');
    } finally {
      restore(saved);
    }
  });
});

describe('fixEnvironment and fixLogConfig (what a server does at start)', () => {
  it('make env() and logConfig() keep what the server started with, whatever changes later, until let go', () => {
    const saved = { timeout: process.env.OUTSIDE_TIMEOUT_MS, origin: process.env.LOG_ORIGIN };
    try {
      process.env.OUTSIDE_TIMEOUT_MS = '1000';
      process.env.LOG_ORIGIN = 'example.org/started';
      fixEnvironment(parseEnv(process.env));
      fixLogConfig();
      process.env.OUTSIDE_TIMEOUT_MS = '2000';
      process.env.LOG_ORIGIN = 'example.org/changed';
      expect(env().OUTSIDE_TIMEOUT_MS).toBe(1000);
      expect(logConfig().origin).toBe('example.org/started');
      fixEnvironment(null);
      fixLogConfig(false);
      expect(env().OUTSIDE_TIMEOUT_MS).toBe(2000);
      expect(logConfig().origin).toBe('example.org/changed');
    } finally {
      fixEnvironment(null);
      fixLogConfig(false);
      for (const [name, value] of [['OUTSIDE_TIMEOUT_MS', saved.timeout], ['LOG_ORIGIN', saved.origin]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
