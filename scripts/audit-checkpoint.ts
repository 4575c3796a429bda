import { parseArgs } from 'node:util';

// npm run audit:checkpoint                      sign and store the log's current head, print it
// npm run audit:checkpoint -- --witness URL     also post it to a witness (default CHECKPOINT_WITNESS_URL)
// npm run audit:checkpoint -- --rotate-key      replace the signing key (the new key names the old one's last checkpoint)
// npm run audit:checkpoint -- --public-key      print the log's public key
const { values } = parseArgs({
  options: {
    witness: { type: 'string' },
    'rotate-key': { type: 'boolean', default: false },
    'public-key': { type: 'boolean', default: false },
  },
});

const { database } = await import('../db/connection');
const { checkpointLog, rotateSigningKey } = await import('../db/checkpoint-log');
const { loadSigner, logConfig } = await import('../db/checkpoints');
// SQLite at DATABASE_PATH, or PostgreSQL when DATABASE_URL is set.
database();

if (values['public-key']) {
  console.log(loadSigner().verifierKey);
  process.exit(0);
}

const outcome = values['rotate-key'] ? rotateSigningKey() : checkpointLog();
if (!outcome.ok) {
  console.error(outcome.message);
  process.exit(1);
}
process.stdout.write(outcome.note);
console.error(`${outcome.created ? 'Stored' : 'Already stored'}: ${logConfig().checkpointDir}/${outcome.file}`);
if ('retiredKeyFile' in outcome && outcome.retiredKeyFile) {
  console.error(`The old key was moved to ${outcome.retiredKeyFile}: destroy it once copies of the checkpoints are kept elsewhere.`);
}
const witness = values.witness ?? process.env.CHECKPOINT_WITNESS_URL?.trim();
if (witness) {
  const { postToWitness } = await import('../app/features/register/log-checkpoints.server');
  const sent = await postToWitness(witness, outcome.note);
  console.error(sent.message);
  if (!sent.ok) process.exit(3);
}
