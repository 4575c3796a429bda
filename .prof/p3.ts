import { useDatabase } from '../db/connection';
import { verifyLog } from '../db/decision-log';
useDatabase(process.argv[2]!);
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const r = verifyLog();
  console.log(r.ok, r.count, Math.round(performance.now() - t));
}
