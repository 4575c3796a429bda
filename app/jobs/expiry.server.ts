import { nowIso } from '../../db/connection';
import { dueApprovals } from '../../db/review';
import { SYSTEM_ACTOR } from '../../workflows/policy';
import { decide } from '../features/vetting/vetting.server';

/** Today as YYYY-MM-DD in UTC, the calendar the end dates are written in. */
export const todayUtc = () => nowIso().slice(0, 10);

/**
 * Expires every approval whose end date is before `today`, each as an EXPIRE
 * decision by the scheduler. Safe to run from any number of requests or
 * processes at once: decide() moves a proposal only from the version it read,
 * so a proposal another sweep already expired is refused as stale and skipped.
 * Returns the ids this call expired.
 */
export function expireDueApprovals(today: string = todayUtc()): number[] {
  const expired: number[] = [];
  for (const due of dueApprovals(today)) {
    const result = decide({ proposalId: due.id, expectedVersion: due.version, actor: SYSTEM_ACTOR, command: { type: 'EXPIRE' } });
    if (result.ok) expired.push(due.id);
    else if (result.error.kind !== 'stale' && result.error.kind !== 'not_allowed') {
      // Anything else is a bug worth seeing, but must not break the page that triggered the sweep.
      console.error(`Expiring proposal ${due.id} failed: ${result.error.message}`);
    }
  }
  return expired;
}
