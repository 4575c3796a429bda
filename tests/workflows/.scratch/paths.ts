import { getSimplePaths, getShortestPaths } from 'xstate/graph';
import { vettingMachine, type VettingEvent, type Actor } from '/work/main/workflows/index';
const P: Actor = { id: 1, roles: ['chapter_lead'] }, S: Actor = { id: 2, roles: ['staff'] }, PS: Actor = { id: 1, roles: ['chapter_lead', 'staff'] }, R: Actor = { id: 3, roles: ['reviewer'] };
const events = (): VettingEvent[] => [
  { type: 'SUBMIT_PROPOSAL', actor: P },
  ...(['compatible', 'compatible_with_concerns', 'incompatible'] as const).map((outcome) => ({ type: 'SUBMIT_VALUES' as const, actor: P, outcome })),
  { type: 'SUBMIT_AGENDA', actor: P, outcome: 'aligned', perceptionRequired: false, perceptionReasons: [] },
  { type: 'SUBMIT_AGENDA', actor: P, outcome: 'manageable_divergence', perceptionRequired: true, perceptionReasons: ['x'] },
  { type: 'SUBMIT_RISK', actor: P, outcome: 'benefits_outweigh' },
  ...(['no_perception_risk', 'acceptable_with_conditions', 'unacceptable'] as const).map((outcome) => ({ type: 'SUBMIT_PERCEPTION' as const, actor: P, outcome })),
  { type: 'SUBMIT_MOU', actor: P, mouVersion: 1 },
  { type: 'MOU_NOT_NEEDED', actor: P, reason: 'one-off co-listing' },
  ...[S, P, PS].flatMap((actor) => [
    { type: 'APPROVE' as const, actor, endDate: '2026-06-30', conditions: [] },
    { type: 'REJECT' as const, actor, rationale: 'no' },
  ]),
  ...(['values', 'agenda', 'risk', 'perception', 'mou'] as const).map((step) => ({ type: 'REQUEST_CHANGES' as const, actor: S, step, rationale: 'fix' })),
  { type: 'WITHDRAW', actor: P, reason: 'x' },
  { type: 'EXPIRE', actor: { id: 0, roles: ['admin'] } },
  { type: 'REOPEN_FOR_REVIEW', actor: P, reason: 'mou edited' },
  { type: 'APPROVE', actor: R, endDate: '2026-06-30', conditions: [] },
];
const serializeState = (s: any) => JSON.stringify([s.value, s.context.perceptionRequired, s.context.returnedTo !== null]);
let t = performance.now();
const paths = getSimplePaths(vettingMachine, { input: { proposerId: 1 }, events, serializeState });
console.log('simple', paths.length, performance.now() - t, Math.max(...paths.map(p=>p.steps.length)));
console.log(paths[0].steps.map(s=>s.event.type));
t = performance.now();
const sp = getShortestPaths(vettingMachine, { input: { proposerId: 1 }, events, serializeState });
console.log('shortest', sp.length, performance.now() - t);
