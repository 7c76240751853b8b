/**
 * Turns the raw-mode byte stream of a terminal (already decoded from UTF-8) into key events. Terminals send most
 * keys as single bytes and the rest as escape sequences in several dialects (legacy CSI/SS3, the kitty keyboard
 * protocol, xterm's modifyOtherKeys); all of them are folded into one `Key` shape here. Sequences may arrive split
 * across reads, so anything that could be the start of one is held until it is complete. Nothing that is part of an
 * escape sequence ever comes out as text: unknown sequences are dropped whole.
 */
export type KeyName =
  | 'enter'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'insert'
  | 'space'
  // A lowercase letter or other printable char when ctrl/alt is held.
  | string;

export type Key =
  /** Printable characters typed, possibly several at once (fast typing); never contains control chars. */
  | { kind: 'text'; text: string }
  /** Bracketed paste content: \r\n and \r normalised to \n, other controls and escape sequences removed (tabs kept). */
  | { kind: 'paste'; text: string }
  | { kind: 'key'; name: KeyName; ctrl: boolean; alt: boolean; shift: boolean };

type NamedKey = Extract<Key, { kind: 'key' }>;

interface Modifiers {
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
}

const ESC = '\u001b';
const PASTE_START = '200';
const PASTE_END = `${ESC}[201~`;
/** An unterminated sequence longer than this is junk, not a sequence still arriving; it is dropped. */
const MAX_SEQUENCE_LENGTH = 4096;
const NO_MODIFIERS: Modifiers = { ctrl: false, alt: false, shift: false };

/** The result of looking at input that starts with ESC. */
type Scan =
  | { done: false } // may be the start of a sequence: wait for more input
  | { done: true; length: number; keys: Key[] }; // consumed `length` chars, producing `keys` (often none)

const INCOMPLETE: Scan = { done: false };

function key(name: KeyName, mods: Modifiers = NO_MODIFIERS): NamedKey {
  return { kind: 'key', name, ctrl: mods.ctrl, alt: mods.alt, shift: mods.shift };
}

function consumed(length: number, ...keys: Key[]): Scan {
  return { done: true, length, keys };
}

function isPrintable(code: number): boolean {
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f);
}

/** For numbers read from a sequence's parameters, which may be anything. */
function isPrintableCodePoint(code: number): boolean {
  return Number.isInteger(code) && code <= 0x10ffff && isPrintable(code);
}

/**
 * The key for one control character (or DEL), or null for the ones that carry no key (0x1c–0x1f, C1). ESC is
 * handled by the caller.
 */
function controlKey(code: number): NamedKey | null {
  switch (code) {
    case 0x0d:
      return key('enter');
    case 0x0a:
      return key('j', { ...NO_MODIFIERS, ctrl: true });
    case 0x09:
      return key('tab');
    case 0x7f:
    case 0x08:
      return key('backspace');
    case 0x00:
      return key('space', { ...NO_MODIFIERS, ctrl: true });
  }
  if (code >= 0x01 && code <= 0x1a) return key(String.fromCharCode(0x60 + code), { ...NO_MODIFIERS, ctrl: true });
  return null;
}

/**
 * Decodes the xterm modifier parameter (1 + bitmask: 1 shift, 2 alt, 4 ctrl, 8 meta). Meta (kitty: super) is folded
 * into alt; lock bits are ignored. Returns null for a value that is not a modifier parameter.
 */
function decodeModifiers(param: string | undefined): Modifiers | null {
  if (param === undefined || param === '') return NO_MODIFIERS;
  const value = Number(param);
  if (!Number.isInteger(value) || value < 1) return null;
  const bits = value - 1;
  return { shift: (bits & 1) !== 0, alt: (bits & (2 | 8)) !== 0, ctrl: (bits & 4) !== 0 };
}

/** Splits one `;`-separated CSI field into its `:` sub-parameters. */
function subParams(field: string | undefined): string[] {
  return field === undefined ? [] : field.split(':');
}

/**
 * Modifiers plus kitty's event type from a `mods[:event]` field; null for malformed input and for key releases
 * (event type 3), which carry nothing the editor wants.
 */
function pressModifiers(field: string | undefined): Modifiers | null {
  const [mods, event] = subParams(field);
  if (event !== undefined && event !== '1' && event !== '2') return null;
  return decodeModifiers(mods);
}

const CODE_NAMES: ReadonlyMap<number, KeyName> = new Map([
  [13, 'enter'],
  [27, 'escape'],
  [9, 'tab'],
  [127, 'backspace'],
  [8, 'backspace'],
]);

/** Kitty encodes keys without a character (modifier keys, keypad, media) in this private-use range. */
function isKittyFunctionalCode(code: number): boolean {
  return code >= 0xe000 && code <= 0xf8ff;
}

/**
 * The key for a unicode key code with modifiers, as sent by the kitty protocol and modifyOtherKeys. A printable key
 * with at most shift held is typed text: `shifted` (kitty's shifted alternate) or `text` (kitty's associated text)
 * says which character, when the terminal reports it.
 */
function keyFromCode(code: number, mods: Modifiers, shifted?: number, text?: string): Key | null {
  const named = CODE_NAMES.get(code);
  if (named !== undefined) return key(named, mods);
  if (!isPrintableCodePoint(code) || isKittyFunctionalCode(code)) return null;
  const char = String.fromCodePoint(code);
  if (mods.ctrl || mods.alt) return key(code === 32 ? 'space' : char.toLowerCase(), mods);
  if (text !== undefined && text !== '') return { kind: 'text', text };
  if (!mods.shift) return { kind: 'text', text: char };
  if (shifted !== undefined && isPrintableCodePoint(shifted)) return { kind: 'text', text: String.fromCodePoint(shifted) };
  return { kind: 'text', text: char.toUpperCase() };
}

/** Optional number: '' means absent. */
function optionalNumber(field: string | undefined): number | undefined {
  return field === undefined || field === '' ? undefined : Number(field);
}

/** Kitty: `code[:shifted[:base]];mods[:event][;text-codepoints]u`. */
function kittyKey(params: string): Key | null {
  const fields = params.split(';');
  const [code, shifted] = subParams(fields[0]);
  const mods = pressModifiers(fields[1]);
  if (mods === null) return null;
  const text = fields[2] === undefined ? undefined : codePointsText(fields[2]);
  return keyFromCode(Number(code), mods, optionalNumber(shifted), text);
}

/** Kitty's associated text: `:`-separated code points; anything unprintable makes it unusable. */
function codePointsText(field: string): string | undefined {
  const codes = field.split(':').map(Number);
  if (!codes.every(isPrintableCodePoint)) return undefined;
  return String.fromCodePoint(...codes);
}

const LETTER_FINALS: Readonly<Record<string, KeyName>> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

const TILDE_NAMES: ReadonlyMap<number, KeyName> = new Map([
  [1, 'home'],
  [7, 'home'],
  [4, 'end'],
  [8, 'end'],
  [2, 'insert'],
  [3, 'delete'],
  [5, 'pageup'],
  [6, 'pagedown'],
]);

/** `ESC [ number ; mods ~`: editing keys, and modifyOtherKeys' `27;mods;code~`. F-keys are not wanted. */
function tildeKey(params: string): Key | null {
  const fields = params.split(';');
  const mods = pressModifiers(fields[1]);
  if (mods === null) return null;
  const number = Number(subParams(fields[0])[0]);
  if (number === 27) return fields.length === 3 ? keyFromCode(Number(fields[2]), mods) : null;
  const name = TILDE_NAMES.get(number);
  return name === undefined ? null : key(name, mods);
}

/** The key a complete CSI sequence stands for, or null when it stands for nothing the editor uses. */
function csiKey(params: string, final: string): Key | null {
  if (/^[<=>?]/.test(params)) return null; // private: mouse reports, replies to queries
  if (final === 'u') return kittyKey(params);
  if (final === '~') return tildeKey(params);
  // Shift+Tab is `ESC [ Z`: a key of its own in the legacy encoding, always shifted.
  const name = final === 'Z' ? 'tab' : LETTER_FINALS[final];
  if (name === undefined) return null;
  const mods = pressModifiers(params.split(';')[1]);
  if (mods === null) return null;
  return key(name, final === 'Z' ? { ...mods, shift: true } : mods);
}

const CSI_PARAMETER = /[0-?]/;
const CSI_INTERMEDIATE = /[ -/]/;
const CSI_FINAL = /[@-~]/;

/**
 * `input` starts with `ESC [`. A CSI sequence is parameter bytes, intermediate bytes, then one final byte; a byte
 * outside that grammar ends a malformed sequence, which is dropped up to that byte so what follows is read normally.
 */
function scanCsi(input: string): Scan {
  let index = 2;
  while (index < input.length && CSI_PARAMETER.test(input[index]!)) index++;
  const paramsEnd = index;
  while (index < input.length && CSI_INTERMEDIATE.test(input[index]!)) index++;
  if (index >= input.length) return input.length > MAX_SEQUENCE_LENGTH ? consumed(input.length) : INCOMPLETE;
  const final = input[index]!;
  if (!CSI_FINAL.test(final)) return consumed(index);
  // The Linux console sends F1–F5 as `ESC [ [ A`..`E`: one more byte belongs to the sequence.
  if (final === '[' && index === 2) return input.length > 3 ? consumed(4) : INCOMPLETE;
  const params = input.slice(2, paramsEnd);
  if (index !== paramsEnd) return consumed(index + 1); // no key we know has intermediate bytes
  const found = csiKey(params, final);
  return found === null ? consumed(index + 1) : consumed(index + 1, found);
}

/** `input` starts with `ESC O` (SS3): arrows and Home/End in application cursor mode, optionally with modifiers. */
function scanSs3(input: string): Scan {
  let index = 2;
  while (index < input.length && /[0-9;]/.test(input[index]!)) index++;
  if (index >= input.length) return INCOMPLETE;
  const final = input[index]!;
  if (!CSI_FINAL.test(final)) return consumed(index);
  const name = LETTER_FINALS[final];
  const mods = decodeModifiers(input.slice(2, index).split(';').pop());
  return name === undefined || mods === null ? consumed(index + 1) : consumed(index + 1, key(name, mods));
}

/**
 * `input` starts with ESC followed by one of `] P _ ^ X`: a string sequence (OSC, DCS, APC, PM, SOS) that runs to BEL
 * or `ESC \`. These are terminal replies, never keys, so they are dropped; treating them as Alt+char would let the
 * reply's body leak out as typed text.
 */
function scanString(input: string): Scan {
  for (let index = 2; index < input.length; index++) {
    if (input[index] === '\u0007') return consumed(index + 1);
    if (input[index] === ESC) {
      if (index + 1 >= input.length) return INCOMPLETE;
      // ESC \ terminates; any other ESC aborts the string and starts something new.
      return input[index + 1] === '\\' ? consumed(index + 2) : consumed(index);
    }
  }
  return input.length > MAX_SEQUENCE_LENGTH ? consumed(input.length) : INCOMPLETE;
}

/** ESC then one ordinary character: the legacy encoding of Alt+key. */
function altKey(input: string): Scan {
  const code = input.codePointAt(1)!;
  const length = 1 + (code > 0xffff ? 2 : 1);
  if (!isPrintable(code)) {
    const control = controlKey(code);
    return control === null ? consumed(length) : consumed(length, { ...control, alt: true });
  }
  if (code === 32) return consumed(length, key('space', { ...NO_MODIFIERS, alt: true }));
  const char = String.fromCodePoint(code);
  const lower = char.toLowerCase();
  return consumed(length, key(lower, { ...NO_MODIFIERS, alt: true, shift: lower !== char }));
}

/** Reads whatever starts with ESC at the beginning of `input` (other than a bracketed paste start, handled above). */
function scanEscape(input: string): Scan {
  if (input.length < 2) return INCOMPLETE;
  const next = input[1]!;
  if (next === ESC) return consumed(1, key('escape')); // the second ESC is read again on its own
  if (next === '[') return scanCsi(input);
  if (next === 'O') return scanSs3(input);
  if (']P_^X'.includes(next)) return scanString(input);
  return altKey(input);
}

/** Paste content as the editor should receive it: only newlines, tabs and printable text. */
function cleanPaste(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '') // CSI sequences (colours in copied terminal output)
    .replace(/\u001b[\]P_^X][\s\S]*?(?:\u0007|\u001b\\)/g, '') // string sequences
    .replace(/\u001b[ -/]*[0-~]?/g, '') // other escapes, or a stray ESC
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** How many chars at the end of `text` could be the beginning of `marker` (so must wait for the next read). */
function partialSuffix(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(marker.slice(0, length))) return length;
  }
  return 0;
}

export class KeyParser {
  /** Input not yet turned into keys: the start of a sequence that has not fully arrived. */
  private held = '';
  /** Raw content of an open bracketed paste, or null outside one. */
  private paste: string | null = null;

  /** Decoded terminal input; returns the keys complete so far, in order. */
  feed(data: string): Key[] {
    const out = new KeyOutput();
    let input = this.held + data;
    this.held = '';
    while (input.length > 0) {
      const used = this.paste === null ? this.readKeys(input, out) : this.readPaste(input, out);
      if (used === 0) {
        this.held = input;
        break;
      }
      input = input.slice(used);
    }
    return out.finish();
  }

  /** True when input is held back because it may be the start of a sequence (a lone ESC, a partial CSI, an open paste). */
  get pending(): boolean {
    return this.held !== '' || this.paste !== null;
  }

  /**
   * For the UI to call once input has paused while `pending`: a held lone ESC was the Escape key; any other held
   * partial sequence is dropped (never inserted as text). An open bracketed paste keeps waiting for its end.
   */
  flush(): Key[] {
    if (this.paste !== null) return [];
    const wasEscape = this.held === ESC;
    this.held = '';
    return wasEscape ? [key('escape')] : [];
  }

  /** Reads keys from the start of `input` until the end or a sequence that is incomplete; returns chars used. */
  private readKeys(input: string, out: KeyOutput): number {
    let index = 0;
    while (index < input.length) {
      const code = input.charCodeAt(index);
      if (code === 0x1b) {
        const rest = input.slice(index);
        if (rest.startsWith(`${ESC}[${PASTE_START}~`)) {
          this.paste = '';
          return index + PASTE_START.length + 3;
        }
        const scan = scanEscape(rest);
        if (!scan.done) return index;
        scan.keys.forEach((found) => out.push(found));
        index += scan.length;
      } else if (isPrintable(code)) {
        out.text(input[index]!);
        index++;
      } else {
        const control = controlKey(code);
        if (control !== null) out.push(control);
        index++;
      }
    }
    return index;
  }

  /** Collects paste content up to the end marker; a possible partial marker at the end is held. */
  private readPaste(input: string, out: KeyOutput): number {
    const end = input.indexOf(PASTE_END);
    if (end >= 0) {
      out.push({ kind: 'paste', text: cleanPaste(this.paste + input.slice(0, end)) });
      this.paste = null;
      return end + PASTE_END.length;
    }
    const keep = partialSuffix(input, PASTE_END);
    this.paste += input.slice(0, input.length - keep);
    return input.length - keep;
  }
}

/** Accumulates keys, merging adjacent text into one text key. */
class KeyOutput {
  private readonly keys: Key[] = [];
  private pendingText = '';

  text(text: string): void {
    this.pendingText += text;
  }

  push(found: Key): void {
    if (found.kind === 'text') return this.text(found.text);
    this.endText();
    this.keys.push(found);
  }

  finish(): Key[] {
    this.endText();
    return this.keys;
  }

  private endText(): void {
    if (this.pendingText === '') return;
    this.keys.push({ kind: 'text', text: this.pendingText });
    this.pendingText = '';
  }
}
