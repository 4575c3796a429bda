// `npm run bench -- decisions` runs this file compiled (bench/compiled.ts).
import { parseArgs } from 'node:util';
import { fixLogConfig } from '../db/checkpoints';
import { fixEnvironment, parseEnv } from '../app/utils/env.server';
import { decisionsBenchmark } from './decisions';

const { values } = parseArgs({ options: { count: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
// The environment is then fixed as server.ts fixes it at start, so decide() runs as a server runs it.
const fixSettings = () => {
  fixEnvironment(parseEnv(process.env));
  fixLogConfig();
};
console.log(await decisionsBenchmark({ total: Number(values.count ?? 10_000), verbose: values.verbose, fixSettings }));
