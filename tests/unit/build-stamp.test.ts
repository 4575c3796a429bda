import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFingerprint } from '../../scripts/build.mjs';

// npm start rebuilds only when this fingerprint of the sources differs from the one the
// last build stamped: a saved file must change it, and nothing else may.
describe('the sources fingerprint', () => {
  it('is the same when nothing changed, and changes when a source file is saved again', () => {
    const file = path.resolve('app/root.tsx');
    const before = fs.statSync(file);
    const first = sourceFingerprint();
    expect(sourceFingerprint()).toBe(first);
    try {
      fs.utimesSync(file, before.atime, new Date(before.mtimeMs + 1000));
      expect(sourceFingerprint()).not.toBe(first);
    } finally {
      fs.utimesSync(file, before.atime, before.mtime);
    }
  });
});
