import { getSimplePaths } from 'xstate/graph';
import { it } from 'vitest';
import { vettingMachine, STEPS, SYSTEM_ACTOR, type VettingEvent, type Actor } from '../../../workflows';
const P: Actor = { id: 1, roles: ['chapter_lead'] }, S: Actor = { id: 2, roles: ['staff'] };
const coarse = (s: any) => `${String(s.value)}|${s.context.perceptionRequired}|${s.context.returnedTo !== null}`;
const coarser = (s: any) => `${String(s.value)}|${s.context.perceptionRequired}`;
function ev(all: boolean): VettingEvent[] {
  return [
    { type: 'SUBMIT_PROPOSAL', actor: P },
    ...((all ? ['compatible', 'compatible_with_concerns', 'incompatible'] : ['compatible', 'incompatible']) as any[]).map((outcome) => ({ type: 'SUBMIT_VALUES' as const, actor: P, outcome })),
    { type: 'SUBMIT_AGENDA', actor: P, outcome: 'aligned', perceptionRequired: false, perceptionReasons: [] },
    { type: 'SUBMIT_AGENDA', actor: P, outcome: 'manageable_divergence', perceptionRequired: true, perceptionReasons: [] },
    ...(all ? [{ type: 'SUBMIT_AGENDA', actor: P, outcome: 'conflict', perceptionRequired: false, perceptionReasons: [] } as VettingEvent] : []),
    ...((all ? ['benefits_outweigh', 'needs_staff_acceptance', 'risks_outweigh'] : ['benefits_outweigh']) as any[]).map((outcome) => ({ type: 'SUBMIT_RISK' as const, actor: P, outcome })),
    ...((all ? ['no_perception_risk', 'acceptable_with_conditions', 'unacceptable'] : ['no_perception_risk', 'unacceptable']) as any[]).map((outcome) => ({ type: 'SUBMIT_PERCEPTION' as const, actor: P, outcome })),
    { type: 'SUBMIT_MOU', actor: P, mouVersion: 1 },
    { type: 'MOU_NOT_NEEDED', actor: P, reason: 'one-off co-listing' },
    { type: 'APPROVE', actor: S, endDate: '2026-06-30', conditions: [] },
    { type: 'REJECT', actor: S, rationale: 'no' },
    ...STEPS.map((step) => ({ type: 'REQUEST_CHANGES' as const, actor: S, step, rationale: 'fix' })),
    { type: 'WITHDRAW', actor: P, reason: 'x' },
    { type: 'EXPIRE', actor: SYSTEM_ACTOR },
    { type: 'REOPEN_FOR_REVIEW', actor: P, reason: 'mou edited' },
  ];
}
it('count', () => {
  for (const all of [true, false]) for (const [n, ser] of [['coarse', coarse], ['coarser', coarser]] as const) {
    const t = performance.now();
    const paths = getSimplePaths(vettingMachine, { input: { proposerId: 1 }, events: ev(all), serializeState: ser });
    console.log(all, n, paths.length, paths.reduce((a, p) => a + p.steps.length, 0), Math.round(performance.now() - t));
  }
});
