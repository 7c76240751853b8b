/**
 * zod/mini ships no error messages by default ("Invalid input"); validation errors keel shows (a bad script, a
 * damaged log line) must say what was wrong, so the English messages are installed once, here.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
