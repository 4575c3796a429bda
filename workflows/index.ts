// The pure workflow layer: shared types, step rules, the vetting statechart and the policy (who may do what).
export * from './types';
export * from './rules/values';
export * from './rules/agenda';
export * from './rules/risk';
export * from './rules/perception';
export * from './machine';
export * from './policy';
