import { describe, expect, it } from 'vitest';
import { commandEnv, DEFAULT_COMMAND_ENV_POLICY } from './command-env.ts';

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
