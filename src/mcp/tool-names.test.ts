import { expect, it } from 'vitest';
import { resultText } from './mcp-tool.ts';
import { MAX_TOOL_NAME, modelToolNames } from './tool-names.ts';

it('names tools mcp__server__tool with only the characters every API accepts', () => {
  expect(modelToolNames([{ server: 'docs', tool: 'search' }, { server: 'my.db', tool: 'run query!' }])).toEqual(['mcp__docs__search', 'mcp__my_db__run_query_']);
});

it('keeps names within 64 characters, cutting with a hash of the raw name, the same every time', () => {
  const long = { server: 'tracker', tool: 'x'.repeat(80) };
  const [name] = modelToolNames([long]);
  expect(name!.length).toBe(MAX_TOOL_NAME);
  expect(name).toMatch(/^mcp__tracker__x+_[0-9a-f]{8}$/);
  expect(modelToolNames([long])).toEqual([name]);
});

it('resolves collisions whatever order the servers answered in, and never takes a built-in name', () => {
  const a = { server: 'a.b', tool: 't' };
  const b = { server: 'a_b', tool: 't' };
  const forward = modelToolNames([a, b]);
  const backward = modelToolNames([b, a]);
  expect(forward[0]).toBe(backward[1]);
  expect(forward[1]).toBe(backward[0]);
  expect(new Set(forward).size).toBe(2);
  // The first in sorted raw order ('a.b' < 'a_b') keeps the plain name.
  expect(forward[0]).toBe('mcp__a_b__t');
  expect(modelToolNames([a], new Set(['mcp__a_b__t']))[0]).toMatch(/^mcp__a_b__t_[0-9a-f]{8}$/);
});

it('turns a result into text: text as it is, images and resources named, structured content as JSON', () => {
  expect(
    resultText({
      content: [
        { type: 'text', text: 'found 2' },
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'body' } },
        { type: 'resource_link', uri: 'file:///b', name: 'b' },
      ],
    }),
  ).toBe('found 2\n[image: image/png, 3 bytes]\n[resource file:///a.txt]\nbody\n[resource link: file:///b (b)]');
  expect(resultText({ content: [], structuredContent: { rows: 3 } })).toBe('{"rows":3}');
});
