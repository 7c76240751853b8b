import { describe, expect, it } from 'vitest';
import { commandEnv, DEFAULT_COMMAND_ENV_POLICY, looksLikeCredential, secretEnvValues } from './command-env.ts';

const env = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  OPENAI_API_KEY: 'sk-1',
  GITHUB_TOKEN: 'ghp',
  aws_secret_access_key: 's',
  MY_SECRET: 'x',
  NODE_ENV: 'test',
  EDITOR: 'vi',
  UNSET: undefined,
};
const plain = { networkDisabled: false, sandbox: null };

describe('commandEnv', () => {
  it('drops variables whose names contain KEY, SECRET or TOKEN, in any case', () => {
    expect(commandEnv(env, DEFAULT_COMMAND_ENV_POLICY, plain)).toEqual({ PATH: '/usr/bin', HOME: '/home/me', NODE_ENV: 'test', EDITOR: 'vi' });
  });

  it('inherits a core set, or nothing', () => {
    expect(commandEnv(env, { inherit: 'core' }, plain)).toEqual({ PATH: '/usr/bin', HOME: '/home/me' });
    expect(commandEnv(env, { inherit: 'none' }, plain)).toEqual({});
  });

  it('keeps secrets only when configured to', () => {
    expect(commandEnv(env, { inherit: 'all', ignoreDefaultExcludes: true }, plain)).toMatchObject({ OPENAI_API_KEY: 'sk-1', GITHUB_TOKEN: 'ghp' });
    expect(commandEnv(env, { inherit: 'none', set: { NPM_TOKEN: 'n' } }, plain)).toEqual({ NPM_TOKEN: 'n' });
  });

  it('applies exclude and include_only patterns, then set', () => {
    expect(commandEnv(env, { inherit: 'all', exclude: ['ED*'] }, plain)).not.toHaveProperty('EDITOR');
    expect(commandEnv(env, { inherit: 'all', includeOnly: ['P*', 'h*'], set: { X: '1' } }, plain)).toEqual({ PATH: '/usr/bin', HOME: '/home/me', X: '1' });
  });

  it('tells the command about the sandbox and a cut network', () => {
    expect(commandEnv({}, { inherit: 'all' }, { networkDisabled: true, sandbox: 'bwrap' })).toEqual({ KEEL_SANDBOX_NETWORK_DISABLED: '1', KEEL_SANDBOX: 'bwrap' });
  });
});

describe('commandEnv: credentials under other names', () => {
  const more = {
    PATH: '/usr/bin',
    DB_PASSWORD: 'pw',
    SMTP_PASSWD: 'pw',
    GOOGLE_APPLICATION_CREDENTIALS: '/home/me/sa.json',
    NPM_AUTH: 'x',
    OAUTH_CLIENT: 'x',
    GIT_AUTHOR_NAME: 'Me',
    DATABASE_URL: 'postgres://app:hunter2@db:5432/app',
    MIRROR: 'https://tok123@mirror.example/simple',
    PLAIN_URL: 'https://example.com/x',
    GIT_REMOTE: 'ssh://git@github.com/o/r',
  };

  it('drops *PASSWORD*, *PASSWD*, *CREDENTIAL*, *AUTH* (not AUTHOR) names and credential-carrying values', () => {
    expect(commandEnv(more, DEFAULT_COMMAND_ENV_POLICY, plain)).toEqual({
      PATH: '/usr/bin',
      GIT_AUTHOR_NAME: 'Me',
      PLAIN_URL: 'https://example.com/x',
      GIT_REMOTE: 'ssh://git@github.com/o/r',
    });
  });

  it('keeps credential values only when configured to, and names only with ignoreDefaultExcludes', () => {
    expect(commandEnv(more, { inherit: 'all', excludeCredentialValues: false }, plain)).toMatchObject({ DATABASE_URL: more.DATABASE_URL, MIRROR: more.MIRROR });
    const names = commandEnv(more, { inherit: 'all', ignoreDefaultExcludes: true }, plain);
    expect(names).toMatchObject({ DB_PASSWORD: 'pw', NPM_AUTH: 'x' });
    expect(names).not.toHaveProperty('DATABASE_URL');
    expect(commandEnv(more, { inherit: 'none', set: { DATABASE_URL: 'postgres://u:p@h/x' } }, plain)).toEqual({ DATABASE_URL: 'postgres://u:p@h/x' });
  });

  it('tells credential URLs from other values', () => {
    for (const value of ['postgres://u:p@h', 'redis://:pw@cache:6379', 'https://x-access-token:ghp_1@github.com/o', 'http://tok@h', 'see amqp://guest:guest@mq/']) {
      expect(looksLikeCredential(value), value).toBe(true);
    }
    for (const value of ['https://example.com/a@b', 'ssh://git@host', 'git@github.com:o/r', 'http://localhost:4873/@scope', 'user@example.com', '']) {
      expect(looksLikeCredential(value), value).toBe(false);
    }
  });

  it('lists the secret values of an environment, for redaction', () => {
    expect(secretEnvValues({ ...more, OPENAI_API_KEY: 'sk-1', EMPTY_TOKEN: '' }).sort()).toEqual(
      ['pw', 'x', more.DATABASE_URL, more.MIRROR, 'sk-1'].sort(),
    );
  });
});

