/**
 * Recognises an image path pasted into the prompt (typed, pasted, or dropped onto the terminal window), so the UI can
 * attach the file instead of inserting its path as text. Terminals hand a dropped file over in several spellings:
 * quoted ('/a b.png', "/a b.png"), with backslash escapes (/a\ b.png), or as a file:// URL; `~/` means the home
 * directory. Only the spelling is judged here; whether the file exists and is an image is loadImageFile's job.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMAGE_EXTENSION = /\.(png|jpe?g|gif|webp)$/i;

/** The path the pasted text names when it is one path to a file with an image extension; null otherwise. */
export function imagePathFromPaste(pasted: string, home: string = homedir()): string | null {
  let text = pasted.trim();
  if (text === '' || text.includes('\n')) return null;
  const quote = text[0];
  if ((quote === "'" || quote === '"') && text.length > 1 && text.endsWith(quote)) text = text.slice(1, -1);
  // Unquoted, a terminal escapes the spaces of a dropped path: a bare space means prose that happens to end in .png.
  else if (/(^|[^\\])\s/.test(text)) return null;
  else text = text.replace(/\\(.)/g, '$1');
  if (text.startsWith('file://')) {
    try {
      text = fileURLToPath(text);
    } catch {
      return null; // A file URL naming another host, or malformed: not a local file.
    }
  }
  if (text === '~' || text.startsWith('~/')) text = join(home, text.slice(1));
  return IMAGE_EXTENSION.test(text) ? text : null;
}
