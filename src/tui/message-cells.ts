/**
 * The transcript's blocks other than commands and plans, each from one event: the session header, a prompt, a
 * thought summary, a patch and its result, a retry, an interruption, a compaction, a warning or an error. Every piece
 * of text from the model goes through sanitize: escape codes never reach the screen.
 */
import { blockedNote } from '../exec/blocked-note.ts';
import { compactionNote } from '../exec/compaction-note.ts';
import type { EventOf } from '../protocol/index.ts';
import { relativeChange, relativePath } from './approval-lines.ts';
import { fileChangeLines } from './diff-lines.ts';
import { imageLabel } from './image-labels.ts';
import { sanitize, sanitizeLines } from '../util/text/sanitize.ts';
import { plainText, span, styled, type Line, type SpanStyle } from '../util/text/styled.ts';

/** A thought summary is kept short: it is context, not the answer. */
const REASONING_LINES = 6;
const PATCH_ERROR_LINES = 8;
const PATCH_FILE_LINES = 40;

const DIM: SpanStyle = { dim: true };
export const THOUGHT: SpanStyle = { dim: true, italic: true };

export function headerLines(version: string, msg: EventOf<'session_configured'>): Line[] {
  return [
    { spans: [span(`keel ${version} · ${sanitize(msg.model)} · session ${sanitize(msg.session_id)}`, DIM)] },
    { spans: [span(`workdir ${sanitize(msg.cwd)}`, DIM)] },
  ];
}

/** A prompt as sent: its text, then a line for each image sent with it (a prompt of images alone starts with one). */
export function userLines(message: string, images: readonly string[] = []): Line[] {
  const texts = message === '' && images.length > 0 ? [] : sanitizeLines(message);
  const body = [...texts.map((text) => span(text)), ...images.map((name) => span(imageLabel(name), { color: 'cyan' }))];
  return body.map((part, index): Line => ({ spans: [index === 0 ? span('› ', { bold: true, color: 'cyan' }) : span('  '), part], indent: 2 }));
}

/** Lines of text as they are (streamed thoughts, which are not Markdown). */
export function plainLines(texts: readonly string[]): Line[] {
  return texts.map((text) => ({ spans: [span(text)] }));
}

/** `thinking ` and the first lines of a thought summary, dim; blank lines are left out to keep it short. */
export function reasoningLines(lines: Line[]): Line[] {
  const content = lines.filter((row) => plainText(row).trim() !== '');
  const shown = content.slice(0, REASONING_LINES).map((row) => styled(row, THOUGHT));
  const [first] = shown;
  if (first === undefined) return [];
  shown[0] = { ...first, spans: [span('thinking ', DIM), ...first.spans] };
  if (content.length > shown.length) shown.push({ spans: [span('…', DIM)] });
  return shown;
}

/** The files of a patch, relative to `cwd`: whole when applied without a question, else (shown then) only their names. */
export function patchLines(msg: EventOf<'patch_apply_begin'>, cwd: string): Line[] {
  const files = Object.entries(msg.changes).flatMap(([path, change]) => {
    const lines = fileChangeLines(relativePath(path, cwd), relativeChange(change, cwd), PATCH_FILE_LINES);
    // A patch the person approved was shown whole with the question: here only which files it changes.
    return msg.auto_approved ? lines : lines.slice(0, 1);
  });
  return [{ spans: [span('✎ apply_patch', { color: 'cyan' })] }, ...files];
}

export function patchResultLines(msg: EventOf<'patch_apply_end'>): Line[] {
  if (msg.success) return [{ spans: [span('  ✓ patch applied', { color: 'green' })] }];
  const [first = '', ...rest] = sanitizeLines(msg.stderr).filter((text) => text.trim() !== '');
  const details = rest.slice(0, PATCH_ERROR_LINES).map((text): Line => ({ spans: [span(`    ${text}`, DIM)] }));
  if (rest.length > details.length) details.push({ spans: [span(`    … (${rest.length - details.length} more lines)`, DIM)] });
  const title = first === '' ? '  ✗ patch failed' : `  ✗ patch failed: ${first}`;
  return [{ spans: [span(title, { color: 'red' })] }, ...details];
}

/** The engine's message already says which attempt comes and when (`retrying 1/5 in 1.3s: …`). */
export function retryLine(msg: EventOf<'stream_error'>): Line {
  return { spans: [span(`⟳ ${sanitizeLines(msg.message).join(' ')}`, { color: 'yellow' })] };
}

export function abortedLine(reason: EventOf<'turn_aborted'>['reason'], stoppedCommand: boolean): Line {
  const what = stoppedCommand ? 'running commands were stopped; ' : '';
  const text = reason === 'replaced' ? '⏹ Task replaced' : `⏹ Interrupted — ${what}tell keel what to do next.`;
  return { spans: [span(text, { color: 'yellow' })] };
}

/** `context compacted: 182k → 9k tokens`, dim: a note about the context, not something the model said. */
export function compactedLine(msg: EventOf<'context_compacted'>): Line {
  return { spans: [span(compactionNote(msg), DIM)] };
}

/** `✗ refused: <command> — <reason>`: a call the person must know did not run. */
export function blockedLines(msg: EventOf<'tool_call_blocked'>): Line[] {
  const style: SpanStyle = msg.outcome === 'aborted' ? { color: 'yellow' } : { color: 'red' };
  return sanitizeLines(blockedNote(msg)).map((text): Line => ({ spans: [span(text, style)] }));
}

export function warningLines(message: string): Line[] {
  return labelled('warning: ', message, { color: 'yellow' }, { color: 'yellow' });
}

export function errorLines(message: string): Line[] {
  return labelled('error: ', message, { color: 'red', bold: true }, { color: 'red' });
}

/** `label` then the message; a message of several lines keeps them, in the message's style. */
function labelled(label: string, message: string, labelStyle: SpanStyle, style: SpanStyle): Line[] {
  const [first = '', ...rest] = sanitizeLines(message);
  return [{ spans: [span(label, labelStyle), span(first, style)] }, ...rest.map((text): Line => ({ spans: [span(text, style)] }))];
}
