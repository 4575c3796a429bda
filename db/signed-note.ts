import * as crypto from 'node:crypto';

// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, the
// format of Go's golang.org/x/mod/sumdb/note: a text, a blank line, then one
// "— <key name> <base64(key hash || signature)>" line per signature.
// Keys are written the same way, so the Go tools can read them:
//   verifier key "<name>+<hex key hash>+<base64(0x01 || public key)>"
//   signer key   "PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>"

const ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export type NoteVerifier = { name: string; keyHash: number; publicKey: Buffer; verifierKey: string };
export type NoteSigner = NoteVerifier & { sign: (message: Buffer) => Buffer };

/** First four bytes of SHA-256(name || "\n" || 0x01 || public key), big-endian. */
export function keyHashOf(name: string, publicKey: Buffer): number {
  const digest = crypto.createHash('sha256').update(name).update('\n').update(Buffer.from([ED25519])).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

function verifierFromPublicKey(name: string, publicKey: Buffer): NoteVerifier {
  const keyHash = keyHashOf(name, publicKey);
  const verifierKey = `${name}+${hex8(keyHash)}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
  return { name, keyHash, publicKey, verifierKey };
}

/** The key's fields: the last one is base64, which may itself hold "+". */
function splitKey(text: string, count: number): string[] | null {
  const parts = text.trim().split('+');
  if (parts.length < count) return null;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join('+')];
}

/** Parses a verifier key; throws with what is wrong. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = splitKey(text, 3);
  if (!parts) throw new Error('not a verifier key (name+hash+key)');
  const [name, hash, key] = parts;
  const raw = Buffer.from(key, 'base64');
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(hash)) throw new Error('malformed verifier key');
  if (raw.length !== 33 || raw[0] !== ED25519) throw new Error('not an Ed25519 verifier key');
  const verifier = verifierFromPublicKey(name, raw.subarray(1));
  if (hex8(verifier.keyHash) !== hash) throw new Error('the verifier key hash does not match its key');
  return verifier;
}

/** Parses a signer key (PRIVATE+KEY+...); throws with what is wrong, never echoing the key. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = splitKey(text, 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new Error('not a signer key');
  const [, , name, hash, key] = parts;
  const raw = Buffer.from(key, 'base64');
  if (!validName(name) || raw.length !== 33 || raw[0] !== ED25519) throw new Error('malformed signer key');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw.subarray(1)]), format: 'der', type: 'pkcs8' });
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const verifier = verifierFromPublicKey(name, Buffer.from(jwk.x, 'base64url'));
  if (hex8(verifier.keyHash) !== hash) throw new Error('the signer key hash does not match its key');
  return { ...verifier, sign: (message) => crypto.sign(null, message, privateKey) };
}

/** A new Ed25519 key pair, as the signer key text (secret) and its verifier key (public). */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  if (!validName(name)) throw new Error('a key name has no spaces and no "+"');
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const seed = Buffer.from((privateKey.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
  const pub = Buffer.from((crypto.createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  const fixed = `PRIVATE+KEY+${name}+${hex8(keyHashOf(name, pub))}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`;
  return { signerKey: fixed, verifierKey: verifierFromPublicKey(name, pub).verifierKey };
}

/** Signs a text (which must end in a newline) with each signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || text.includes('\n\n') || text.includes('\r')) throw new Error('a note text ends with one newline and has no blank line');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => {
    const signature = s.sign(message);
    const blob = Buffer.alloc(4 + signature.length);
    blob.writeUInt32BE(s.keyHash, 0);
    signature.copy(blob, 4);
    return `${SIGNATURE_PREFIX}${s.name} ${blob.toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

export type NoteSignature = { name: string; keyHash: number; signature: Buffer };
export type OpenedNote = { text: string; signatures: NoteSignature[]; verifiedBy: NoteVerifier[] };

/** Splits a signed note into its text and signature lines; throws if it is not one. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (note.length > 1_000_000) throw new Error('the note is too large');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('the note has no signature block');
  const text = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!m) throw new Error('a signature line is malformed');
      const blob = Buffer.from(m[2]!, 'base64');
      if (blob.length < 5) throw new Error('a signature is too short');
      return { name: m[1]!, keyHash: blob.readUInt32BE(0), signature: blob.subarray(4) };
    });
  if (signatures.length === 0) throw new Error('the note has no signature');
  return { text, signatures };
}

/**
 * The note's text and which of the given verifiers signed it. A signature by
 * a known key that does not verify is an error (the note was altered);
 * signatures by unknown keys are ignored, as signed-note prescribes.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const verifiedBy: NoteVerifier[] = [];
  for (const sig of signatures) {
    const verifier = verifiers.find((v) => v.name === sig.name && v.keyHash === sig.keyHash);
    if (!verifier) continue;
    const publicKey = crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, verifier.publicKey]), format: 'der', type: 'spki' });
    if (sig.signature.length !== 64 || !crypto.verify(null, message, publicKey, sig.signature)) {
      throw new Error(`invalid signature for key ${verifier.name}+${hex8(verifier.keyHash)}`);
    }
    if (!verifiedBy.includes(verifier)) verifiedBy.push(verifier);
  }
  return { text, signatures, verifiedBy };
}
