import * as crypto from 'node:crypto';

// The Merkle tree of RFC 6962 / RFC 9162 section 2.1 over the decision records:
// leaf = SHA-256(0x00 || leaf data), node = SHA-256(0x01 || left || right).
// Free of database code, like record-hash.ts, so a bundle verifies offline.

export const HASH_SIZE = 32;

const sha256 = (data: string | Buffer): Buffer => crypto.hash('sha256', data, 'buffer') as unknown as Buffer;
const NODE_PREFIX = Buffer.from([1]);
const EMPTY_ROOT = sha256(Buffer.alloc(0));

/** SHA-256(0x00 || data); a string is taken as its UTF-8 bytes. */
export function leafHash(data: string | Buffer): Buffer {
  // '\0' is the single byte 0x00 in UTF-8: no Buffer copy of the record text.
  return typeof data === 'string' ? sha256(`\0${data}`) : sha256(Buffer.concat([Buffer.from([0]), data]));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([NODE_PREFIX, left, right], 1 + left.length + right.length));
}

export function emptyRoot(): Buffer {
  return Buffer.from(EMPTY_ROOT);
}

/** The largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The right edge of a tree being built one leaf at a time: the roots of its
 * perfect subtrees, largest first (a "compact range"). Enough to give the root
 * of the tree so far and to keep appending, in O(log n) memory.
 */
export class CompactRange {
  constructor(
    public size = 0,
    readonly peaks: Buffer[] = [],
  ) {
    if (peaks.length !== popCount(size)) throw new Error(`a tree of ${size} leaves has ${popCount(size)} peaks, not ${peaks.length}`);
  }

  append(leaf: Buffer): void {
    let node = leaf;
    // Each trailing 1 bit of the size is a peak of the same height: merge.
    for (let s = this.size; s & 1; s = Math.floor(s / 2)) node = nodeHash(this.peaks.pop()!, node);
    this.peaks.push(node);
    this.size++;
  }

  root(): Buffer {
    if (this.size === 0) return emptyRoot();
    let root = this.peaks[this.peaks.length - 1]!;
    for (let i = this.peaks.length - 2; i >= 0; i--) root = nodeHash(this.peaks[i]!, root);
    return root;
  }

  clone(): CompactRange {
    return new CompactRange(this.size, [...this.peaks]);
  }
}

function popCount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x & 1;
  return c;
}

/**
 * Every perfect subtree of a growing log, level by level, so that inclusion
 * and consistency proofs cost O(log n) lookups instead of re-hashing the log.
 * Level 0 holds the leaf hashes; level k the roots of aligned 2^k-leaf subtrees.
 */
export class MerkleTree {
  private levels: Buffer[] = [Buffer.alloc(0)];
  private counts: number[] = [0];

  get size(): number {
    return this.counts[0]!;
  }

  append(leaf: Buffer): void {
    let node = leaf;
    let level = 0;
    for (;;) {
      this.put(level, node);
      const count = this.counts[level]!;
      if (count % 2 === 1) break;
      node = nodeHash(this.node(level, count - 2), node);
      level++;
    }
  }

  private put(level: number, hash: Buffer): void {
    if (this.levels.length <= level) {
      this.levels.push(Buffer.alloc(0));
      this.counts.push(0);
    }
    let buffer = this.levels[level]!;
    const count = this.counts[level]!;
    if ((count + 1) * HASH_SIZE > buffer.length) {
      const grown = Buffer.alloc(Math.max(1024, buffer.length * 2));
      buffer.copy(grown);
      this.levels[level] = buffer = grown;
    }
    hash.copy(buffer, count * HASH_SIZE);
    this.counts[level] = count + 1;
  }

  private node(level: number, index: number): Buffer {
    return this.levels[level]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  leaf(index: number): Buffer {
    return Buffer.from(this.node(0, index));
  }

  /** MTH(D[lo:hi]) of RFC 6962 for any range this tree holds. */
  hashOf(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return emptyRoot();
    if ((n & (n - 1)) === 0 && lo % n === 0) {
      const level = Math.log2(n);
      if (lo / n < this.counts[level]!) return Buffer.from(this.node(level, lo / n));
    }
    const k = splitPoint(n);
    return nodeHash(this.hashOf(lo, lo + k), this.hashOf(lo + k, hi));
  }

  root(size = this.size): Buffer {
    return this.hashOf(0, size);
  }

  /** The audit path of RFC 6962 2.1.1 for leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    if (!(index >= 0 && index < size && size <= this.size)) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
    const proof: Buffer[] = [];
    const path = (m: number, lo: number, hi: number): void => {
      const n = hi - lo;
      if (n <= 1) return;
      const k = splitPoint(n);
      if (m < k) {
        path(m, lo, lo + k);
        proof.push(this.hashOf(lo + k, hi));
      } else {
        path(m - k, lo + k, hi);
        proof.push(this.hashOf(lo, lo + k));
      }
    };
    path(index, 0, size);
    return proof;
  }

  /** The consistency proof of RFC 6962 2.1.2 from the tree of `oldSize` leaves to that of `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Buffer[] {
    if (!(oldSize >= 0 && oldSize <= newSize && newSize <= this.size)) throw new RangeError(`no consistency from ${oldSize} to ${newSize}`);
    const proof: Buffer[] = [];
    if (oldSize === 0 || oldSize === newSize) return proof;
    const subproof = (m: number, lo: number, hi: number, complete: boolean): void => {
      const n = hi - lo;
      if (m === n) {
        if (!complete) proof.push(this.hashOf(lo, hi));
        return;
      }
      const k = splitPoint(n);
      if (m <= k) {
        subproof(m, lo, lo + k, complete);
        proof.push(this.hashOf(lo + k, hi));
      } else {
        subproof(m - k, lo + k, hi, false);
        proof.push(this.hashOf(lo, lo + k));
      }
    };
    subproof(oldSize, 0, newSize, true);
    return proof;
  }
}

/** RFC 9162 2.1.3.2: the root an inclusion proof leads to, or null if the proof has the wrong shape. */
export function rootFromInclusionProof(index: number, size: number, leaf: Buffer, proof: readonly Buffer[]): Buffer | null {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Buffer, proof: readonly Buffer[], root: Buffer): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && computed.equals(root);
}

/** RFC 9162 2.1.4.2: does the tree of size2 with root2 extend the tree of size1 with root1? */
export function verifyConsistency(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: readonly Buffer[]): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = [...proof];
  // When size1 is a power of two the old root is itself the first node of the path.
  if ((size1 & (size1 - 1)) === 0) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}
