import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.ts';
import { overrideTable, parseOverride } from './parse-override.ts';

describe('parseOverride', () => {
  it.each([
    ['stream_max_retries=3', ['stream_max_retries'], 3],
    ['stateful=true', ['stateful'], true],
    ['model="gpt-5"', ['model'], 'gpt-5'],
    ['notify=["notify-send", "done"]', ['notify'], ['notify-send', 'done']],
    ['model_providers.local={ base_url = "http://h:1/v1" }', ['model_providers', 'local'], { base_url: 'http://h:1/v1' }],
    ['  sandbox_mode =  workspace-write ', ['sandbox_mode'], 'workspace-write'],
  ])('parses %s as TOML', (text, path, value) => {
    expect(parseOverride(text)).toEqual({ text, path, value });
  });

  it.each([
    ['model=gpt-5.1', 'gpt-5.1'],
    ['model=o3', 'o3'],
    ['model_providers.local.base_url=http://localhost:8080/v1', 'http://localhost:8080/v1'],
    ['notify=notify-send', 'notify-send'],
    // A date is valid TOML, but as a model name or path it is meant as text.
    ['model=2025-01-01', '2025-01-01'],
    ['model=', ''],
    ['model=a=b', 'a=b'],
    // A value that smuggles in a second assignment is not one TOML value.
    ['model="x"\nsandbox_mode="danger-full-access"', '"x"\nsandbox_mode="danger-full-access"'],
  ])('takes %j as a plain string when it is not one TOML value', (text, value) => {
    expect(parseOverride(text).value).toBe(value);
  });

  it('reads nested and quoted key paths the way TOML does', () => {
    expect(parseOverride('sandbox_workspace_write.network_access=true').path).toEqual(['sandbox_workspace_write', 'network_access']);
    expect(parseOverride('model_providers."my.host".base_url=http://x').path).toEqual(['model_providers', 'my.host', 'base_url']);
    expect(parseOverride("model_providers.'a=b'.name=x").path).toEqual(['model_providers', 'a=b', 'name']);
    expect(parseOverride('profiles.fast.model = gpt-5-mini').path).toEqual(['profiles', 'fast', 'model']);
  });

  it.each([
    ['model', '-c model: expected key.path=VALUE'],
    ['=gpt-5', '-c =gpt-5: the key path before "=" is empty'],
    ['a..b=1', '-c a..b=1: "a..b" is not a key path'],
    ['.model=x', '-c .model=x: ".model" is not a key path'],
    ['model.=x', '-c model.=x: "model." is not a key path'],
    ['two words=x', '-c two words=x: "two words" is not a key path'],
    ['"unclosed=x', '-c "unclosed=x: expected key.path=VALUE'],
  ])('rejects the bad key path in %j', (text, message) => {
    let caught: unknown;
    try {
      parseOverride(text);
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught, 'bad_override')).toBe(true);
    expect((caught as Error).message.startsWith(message)).toBe(true);
  });
});

describe('overrideTable', () => {
  it('nests the value under its key path', () => {
    expect(overrideTable(parseOverride('a.b.c=1'))).toEqual({ a: { b: { c: 1 } } });
  });

  it('keeps a key named __proto__ as data, not as a prototype', () => {
    const table = overrideTable(parseOverride('model_providers.__proto__.name=x'));
    const providers = table.model_providers as Record<string, unknown>;
    expect(Object.keys(providers)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(providers)).toBe(Object.prototype);
  });
});
