// Issue 15: at most 100 KB of gzipped JavaScript on every page's first load. Read from the
// fresh build the test run starts from (the manifest and the files it names): sizes, not
// timings, so the answer is the same on a busy machine.
import { describe, expect, it } from 'vitest';
import { JS_BUDGET_KB, jsPerPage } from '../../bench/js-size';

describe('JavaScript per page', () => {
  it('keeps every page within the budget', async () => {
    const pages = await jsPerPage();
    // Every page is measured (a manifest read wrongly would give none and pass).
    expect(pages.length).toBeGreaterThan(30);
    const over = pages.filter((p) => p.gzipBytes > JS_BUDGET_KB * 1024).map((p) => `${p.page} ${(p.gzipBytes / 1024).toFixed(1)} KB`);
    expect(over).toEqual([]);
  });
});
