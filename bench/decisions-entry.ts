// `npm run bench -- decisions` runs this file compiled (bench/compiled.ts).
import { parseArgs } from 'node:util';
import { decisionsBenchmark } from './decisions';

const { values } = parseArgs({ options: { count: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
console.log(await decisionsBenchmark({ total: Number(values.count ?? 10_000), verbose: values.verbose }));
