import { expect, it } from 'vitest';
import { ContextBudget } from './context-budget.ts';

it('is due once the reported usage reaches the limit, and after a compaction only once it has grown past the floor', () => {
  const budget = new ContextBudget();
  expect(budget.passedAutoLimit(1000)).toBe(false);
  budget.reported(999);
  expect(budget.passedAutoLimit(1000)).toBe(false);
  budget.reported(1000);
  expect(budget.passedAutoLimit(1000)).toBe(true);
  expect(budget.passedAutoLimit(null)).toBe(false);

  // Compacted to a history still above the limit: a warning, and no compaction before it grows by 10% of the limit.
  expect(budget.compacted(1, 1200, 1000)).toMatch(/^the compacted conversation \(about 1\.2k tokens\) is still above the auto-compaction limit/);
  expect(budget.lastReportedTokens).toBeNull();
  budget.reported(1250);
  expect(budget.passedAutoLimit(1000)).toBe(false);
  budget.reported(1300);
  expect(budget.passedAutoLimit(1000)).toBe(true);
  expect(budget.compacted(2, 100, 1000)).toBeNull();
  expect(budget.compactions).toBe(2);
});

it('a resumed session keeps the floor its log recorded, so it does not compact again at once', () => {
  const budget = new ContextBudget({ compactions: 3, lastReportedTokens: 1250, compactedFloor: 1200 });
  expect(budget.passedAutoLimit(1000)).toBe(false);
  expect(new ContextBudget({ compactions: 3, lastReportedTokens: 1250 }).passedAutoLimit(1000)).toBe(true);
});
