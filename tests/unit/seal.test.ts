import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealOf } from '../../db/checkpoints';

// sealOf computes HMAC-SHA256 over padded blocks for a record's hash; it must equal createHmac
// for every key and message, or every record would fail verification.

const reference = (key: Buffer, message: string) => crypto.createHmac('sha256', key).update(message).digest('hex');

describe('sealOf', () => {
  it('equals HMAC-SHA256 for keys of every length up to a block and beyond', () => {
    for (let length = 0; length <= 80; length++) {
      const key = crypto.randomBytes(length);
      for (let i = 0; i < 5; i++) {
        const hash = crypto.randomBytes(32).toString('hex');
        expect(sealOf(key, hash), `key of ${length} bytes`).toBe(reference(key, hash));
      }
    }
  });

  it('equals HMAC-SHA256 for text that is not a record hash (what a tampered row may hold)', () => {
    const key = crypto.randomBytes(32);
    const texts = ['', 'abc', 'A'.repeat(64), `${'0'.repeat(63)}é`, `${'f'.repeat(63)}😀`, 'g'.repeat(64), '0'.repeat(65), 'x'.repeat(200)];
    for (const text of texts) expect(sealOf(key, text), JSON.stringify(text)).toBe(reference(key, text));
  });

  it('keeps each key apart, in any order of use', () => {
    const keys = [crypto.randomBytes(32), crypto.randomBytes(32), crypto.randomBytes(16)];
    for (let round = 0; round < 3; round++) {
      for (const key of keys) {
        const hash = crypto.randomBytes(32).toString('hex');
        expect(sealOf(key, hash)).toBe(reference(key, hash));
      }
    }
  });
});
