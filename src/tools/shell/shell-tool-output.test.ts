import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callShell } from './shell-call-harness.ts';
import { createShellTool } from './shell-tool.ts';

const tool = createShellTool({});

describe('shell tool: output', () => {
  it('truncates a million lines head and tail with the right counts, and streams all of it', async () => {
    const call = await callShell(tool, { command: ['seq', '1', '1000000'] });
    const output = call.json?.output ?? '';
    expect(output.startsWith('Total output lines: 1000000\n\n1\n2\n3\n')).toBe(true);
    expect(output).toContain('128\n\n[... omitted 999744 of 1000000 lines ...]\n\n999873\n');
    expect(output.endsWith('999999\n1000000\n')).toBe(true);
    expect(call.end?.aggregated_output).toBe(output);
    // Pipe reads are at most 64 KiB, so ~6.9 MB arrive in far fewer than 10,000 deltas: every byte is streamed.
    const streamed = call.deltas.map((d) => d.chunk).join('');
    expect(streamed.length).toBe(6_888_896);
    expect(Buffer.byteLength(call.result.output)).toBeLessThanOrEqual(10 * 1024);
  });

  it('caps output deltas and keeps capturing after the cap', async () => {
    const capped = createShellTool({ maxOutputDeltas: 3 });
    const call = await callShell(capped, { command: ['seq', '1', '100000'] });
    expect(call.deltas).toHaveLength(3);
    expect(call.json?.output).toContain('[... omitted 99744 of 100000 lines ...]');
    expect(call.json?.output.endsWith('99999\n100000\n')).toBe(true);
  });

  it('keeps the JSON envelope within the byte budget whatever the output escapes to', async () => {
    // Control characters become six-byte \u escapes in JSON.
    const call = await callShell(tool, { command: ['bash', '-c', 'head -c 100000 /dev/zero | tr "\\0" "\\1"'] });
    expect(Buffer.byteLength(call.result.output)).toBeLessThanOrEqual(10 * 1024);
    expect(call.json?.output).toMatch(/^Total output lines: 1\n\n\u0001+\n\[\.\.\. omitted \d+ of 100000 bytes \.\.\.\]\n\n\u0001+$/);
  });

  it('never splits a character between deltas, even when the command does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-shell-'));
    const fifo = join(dir, 'go');
    execFileSync('mkfifo', [fifo]);
    // The euro sign (e2 82 ac) is written in two parts; the second only after the test saw the first delta.
    const script = `printf 'a\\342\\202'; read line < '${fifo}'; printf '\\254b\\n'`;
    let released = false;
    const call = await callShell(
      tool,
      { command: ['bash', '-c', script] },
      {
        onEvent(msg) {
          if (msg.type === 'exec_command_output_delta' && !released) {
            released = true;
            void writeFile(fifo, 'go\n');
          }
        },
      },
    );
    expect(call.deltas.map((d) => d.chunk)).toEqual(['a', '€b\n']);
    expect(call.json?.output).toBe('a€b\n');
  });

  it('shows an incomplete character at the end as a replacement character', async () => {
    const call = await callShell(tool, { command: ['printf', 'x\\342\\202'] });
    expect(call.json?.output).toBe('x\uFFFD');
  });
});
