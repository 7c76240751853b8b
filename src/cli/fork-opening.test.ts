import { describe, expect, it } from 'vitest';
import type { LoggedPrompt } from '../store/index.ts';
import { promptHeadline, promptList } from './fork-opening.ts';

const prompt = (number: number, text: string, more: Partial<LoggedPrompt> = {}): LoggedPrompt => ({ number, text, images: [], task: number, queued: false, ts: 'x', ...more });

describe('promptList', () => {
  it('numbers each prompt by its first line, marking more lines, images and queued prompts', () => {
    const prompts = [prompt(1, 'fix the parser'), prompt(2, 'now\nthe lexer', { images: ['a.png', 'b.png'] }), prompt(3, 'and the tests', { queued: true })];
    expect(promptList(prompts, 80)).toEqual(['1. fix the parser', '2. now…  (2 images)', '3. and the tests  (queued)']);
  });

  it('fits every line to the width, and aligns the numbers past 9', () => {
    const prompts = Array.from({ length: 10 }, (_, index) => prompt(index + 1, `prompt number ${index + 1} is rather long`));
    const lines = promptList(prompts, 24);
    expect(lines[0]).toBe(' 1. prompt number 1 is…');
    expect(lines[9]).toBe('10. prompt number 10 is…');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(24);
  });

  it('shows what the terminal could misread as plain characters', () => {
    expect(promptHeadline(prompt(1, 'red \u001b[31mtext\u001b[0m \u202eevil'), 80)).toBe('red text \ufffdevil');
    expect(promptHeadline(prompt(1, '', { images: ['chart.png'] }), 80)).toBe('[image: chart.png]');
  });
});
