// The Merkle tree and its proofs against the RFC 6962 test vectors published
// with the Certificate Transparency code (transparency-dev/merkle), and the
// signed-note format against the vector of golang.org/x/mod/sumdb/note.
import { describe, expect, it } from 'vitest';
import { CompactRange, MerkleTree, emptyRoot, leafHash, rootFromInclusionProof, verifyConsistency, verifyInclusion } from '../../db/merkle';
import { generateSignerKey, openNote, parseSignerKey, parseVerifierKey, signNote } from '../../db/signed-note';

const h = (hex: string) => Buffer.from(hex, 'hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// [leaf (1-based), tree size, audit path]
const INCLUSION: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [2, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
// [old size, new size, proof]
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

function fullTree(): MerkleTree {
  const tree = new MerkleTree();
  for (const leaf of LEAVES) tree.append(leafHash(leaf));
  return tree;
}

describe('the Merkle tree (RFC 6962 vectors)', () => {
  it('gives the published root for every size, streaming and stored', () => {
    const range = new CompactRange();
    const tree = new MerkleTree();
    expect(range.root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    LEAVES.forEach((leaf, i) => {
      range.append(leafHash(leaf));
      tree.append(leafHash(leaf));
      expect(range.root().toString('hex')).toBe(ROOTS[i]);
      expect(tree.root().toString('hex')).toBe(ROOTS[i]);
    });
    ROOTS.forEach((root, i) => expect(tree.root(i + 1).toString('hex')).toBe(root));
    expect(emptyRoot().equals(tree.root(0))).toBe(true);
  });

  it('produces and checks the published inclusion proofs, and refuses altered ones', () => {
    const tree = fullTree();
    for (const [leaf, size, path] of INCLUSION) {
      const proof = tree.inclusionProof(leaf - 1, size);
      expect(proof.map((p) => p.toString('hex'))).toEqual(path);
      const root = h(ROOTS[size - 1]!);
      const hash = leafHash(LEAVES[leaf - 1]!);
      expect(verifyInclusion(leaf - 1, size, hash, proof, root)).toBe(true);
      // Wrong index, wrong size, wrong leaf, a flipped bit, a dropped or added node.
      expect(verifyInclusion(leaf, size, hash, proof, root)).toBe(false);
      expect(verifyInclusion(leaf - 1, size * 2, hash, proof, root)).toBe(false);
      expect(verifyInclusion(leaf - 1, size, leafHash(Buffer.from('wrong')), proof, root)).toBe(false);
      if (proof.length > 0) {
        const flipped = proof.map((p, i) => (i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 8 : b))) : p));
        expect(verifyInclusion(leaf - 1, size, hash, flipped, root)).toBe(false);
        expect(verifyInclusion(leaf - 1, size, hash, proof.slice(0, -1), root)).toBe(false);
      }
      expect(rootFromInclusionProof(leaf - 1, size, hash, [...proof, root])).toBeNull();
    }
  });

  it('produces and checks the published consistency proofs, and refuses altered ones', () => {
    const tree = fullTree();
    for (const [size1, size2, path] of CONSISTENCY) {
      const proof = tree.consistencyProof(size1, size2);
      expect(proof.map((p) => p.toString('hex'))).toEqual(path);
      const root1 = h(ROOTS[size1 - 1]!);
      const root2 = h(ROOTS[size2 - 1]!);
      expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
      if (proof.length === 0) continue;
      expect(verifyConsistency(size1, size2, root2, root1, proof)).toBe(false);
      expect(verifyConsistency(size1 + 1, size2, root1, root2, proof)).toBe(false);
      expect(verifyConsistency(size1, size2, root1, root2, proof.slice(0, -1))).toBe(false);
      expect(verifyConsistency(size1, size2, root1, root2, [...proof, root1])).toBe(false);
      expect(verifyConsistency(size1, size2, root1, root2, [])).toBe(false);
    }
    // Every pair of sizes of a larger tree is consistent, and proves it.
    const big = new MerkleTree();
    for (let i = 0; i < 37; i++) big.append(leafHash(`leaf ${i}`));
    for (let a = 1; a <= 37; a++) {
      for (let b = a; b <= 37; b++) expect(verifyConsistency(a, b, big.root(a), big.root(b), big.consistencyProof(a, b))).toBe(true);
    }
  });
});

describe('signed notes (golang.org/x/mod/sumdb/note vector)', () => {
  const SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const SIGNED = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it('signs byte for byte as the reference implementation and derives the same key hash', () => {
    const signer = parseSignerKey(SIGNER);
    expect(signer.verifierKey).toBe(VERIFIER);
    expect(signNote(TEXT, [signer])).toBe(SIGNED);
  });

  it('opens the reference note with the verifier key and refuses it altered', () => {
    const verifier = parseVerifierKey(VERIFIER);
    expect(openNote(SIGNED, [verifier]).verifiedBy).toEqual([verifier]);
    expect(() => openNote(SIGNED.replace('cryptography', 'cryptographY'), [verifier])).toThrow(/invalid signature for key PeterNeumann\+c74f20a3/);
    // Another key of the same name does not count as a signature.
    const other = parseVerifierKey(generateSignerKey('PeterNeumann').verifierKey);
    expect(openNote(SIGNED, [other]).verifiedBy).toEqual([]);
  });

  it('refuses malformed keys', () => {
    expect(() => parseVerifierKey(VERIFIER.replace('c74f20a3', 'c74f20a4'))).toThrow(/hash does not match/);
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/not an Ed25519/);
    expect(() => parseSignerKey(SIGNER.slice(0, -2))).toThrow();
  });
});
