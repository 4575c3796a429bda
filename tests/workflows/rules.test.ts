import { describe, expect, it } from 'vitest';
import {
  IMPACT_WORDS,
  LIKELIHOOD_WORDS,
  bandFor,
  evaluateAgenda,
  evaluatePerception,
  evaluateRisk,
  evaluateValues,
  perceptionMovements,
  previewAgenda,
  previewPerception,
  previewRisk,
  previewValues,
  bandWords,
  riskScore,
  supportedMovements,
  type AgendaItemInput,
  type PerceptionChecklistDoc,
  type Position,
  type RiskItemInput,
  type RiskMatrixDoc,
  type ValueRating,
  type ValuesCriterion,
  type ValuesInput,
} from '../../workflows';

// ---- fixtures (shaped like the seeded configuration) ----

const criteria: ValuesCriterion[] = [
  { key: 'independence', label: 'Independence', description: '', required: true },
  { key: 'non_discrimination', label: 'Non-discrimination', description: '', required: true },
  { key: 'human_rights', label: 'Human-rights standards', description: '', required: true },
  { key: 'mutual_respect', label: 'Mutual respect', description: '', required: false },
  { key: 'transparency', label: 'Transparency', description: '', required: false },
];

function ratings(r: Record<string, ValueRating>): ValuesInput {
  return {
    ratings: Object.fromEntries(Object.entries(r).map(([k, rating]) => [k, { rating, evidence: '', links: [] }])),
  };
}
const allMeet = {
  independence: 'meets',
  non_discrimination: 'meets',
  human_rights: 'meets',
  mutual_respect: 'meets',
  transparency: 'meets',
} as const;

const matrix: RiskMatrixDoc = {
  bands: [
    { name: 'low', min: 1, max: 4 },
    { name: 'medium', min: 5, max: 9 },
    { name: 'high', min: 10, max: 14 },
    { name: 'critical', min: 15, max: 25 },
  ],
  closeMarginPercent: 20,
  likelihoodLabels: ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'],
  impactLabels: ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'],
  categories: ['reputation', 'independence', 'perception', 'participant safety', 'legal', 'mission impact', 'relationship'],
};

function risk(l: number, i: number, rl: number | null = null, ri: number | null = null): RiskItemInput {
  return {
    kind: 'risk',
    category: 'reputation',
    description: 'r',
    likelihood: l,
    impact: i,
    mitigation: rl == null ? null : 'mitigated',
    residualLikelihood: rl,
    residualImpact: ri,
  };
}
function benefit(l: number, i: number): RiskItemInput {
  return {
    kind: 'benefit',
    category: 'mission impact',
    description: 'b',
    likelihood: l,
    impact: i,
    mitigation: null,
    residualLikelihood: null,
    residualImpact: null,
  };
}

const positions: Position[] = [
  {
    key: 'demolitions',
    campaignKey: 'israel_opt',
    statement: 'cancelling forced evictions and home demolitions',
    stance: 'calls_for',
    keywords: ['demolition'],
    sources: [],
  },
  {
    key: 'bds',
    campaignKey: 'israel_opt',
    statement: 'the BDS movement',
    stance: 'no_position',
    perceptionSensitive: 'BDS',
    keywords: ['bds', 'boycott'],
    sources: [],
  },
  {
    key: 'two_states',
    campaignKey: null,
    statement: 'statehood and "two states" framings',
    stance: 'no_position',
    keywords: [],
    sources: [],
  },
  { key: 'antisemitism', campaignKey: null, statement: 'antisemitism', stance: 'opposes', keywords: [], sources: [] },
];
const item = (text: string, classification: AgendaItemInput['classification'], positionKey: string | null): AgendaItemInput => ({
  text,
  scope: 'event',
  classification,
  positionKey,
});

const checklist: PerceptionChecklistDoc = {
  movement: 'BDS',
  items: [
    { key: 'title', label: 'No boycott call in the title', condition: 'The title makes no boycott or divestment call.' },
    { key: 'logo', label: 'Logo not beside BDS calls', condition: 'The logo is not placed beside BDS calls.' },
    { key: 'disclaimer', label: 'Disclaimer on the listing', condition: 'The listing carries a disclaimer.' },
  ],
};
const answers = (a: Record<string, 'met' | 'condition' | 'cannot_meet'>) => ({
  answers: Object.fromEntries(Object.entries(a).map(([k, answer]) => [k, { answer, note: '' }])),
});

// ---- values ----

describe('evaluateValues', () => {
  it('all criteria met is compatible', () => {
    const r = evaluateValues(criteria, ratings(allMeet));
    expect(r).toMatchObject({ outcome: 'compatible', notMet: [], concerns: [], unknown: [] });
    expect(r.summary).toMatch(/all 5 criteria/);
  });

  it('a required criterion not met is incompatible (case 4: a party campaign office)', () => {
    const r = evaluateValues(criteria, ratings({ ...allMeet, independence: 'not_met', transparency: 'concern' }));
    expect(r.outcome).toBe('incompatible');
    expect(r.notMet).toEqual(['independence']);
    expect(r.concerns).toEqual(['transparency']);
    expect(r.summary).toContain('Independence');
  });

  it('a non-required criterion not met counts as a concern, not a bar', () => {
    const r = evaluateValues(criteria, ratings({ ...allMeet, mutual_respect: 'not_met' }));
    expect(r.outcome).toBe('compatible_with_concerns');
    expect(r.notMet).toEqual([]);
    expect(r.concerns).toEqual(['mutual_respect']);
  });

  it('a concern on a required criterion is a concern (case 3: faith community and independence)', () => {
    const r = evaluateValues(criteria, ratings({ ...allMeet, independence: 'concern' }));
    expect(r.outcome).toBe('compatible_with_concerns');
    expect(r.concerns).toEqual(['independence']);
  });

  it('unknown and unrated criteria are unknown, giving concerns', () => {
    const { transparency: _t, ...rest } = allMeet;
    const r = evaluateValues(criteria, ratings({ ...rest, human_rights: 'unknown' }));
    expect(r.outcome).toBe('compatible_with_concerns');
    expect(r.unknown).toEqual(['human_rights', 'transparency']);
    expect(r.summary).toMatch(/not established/);
  });

  it('no ratings at all: every criterion unknown', () => {
    const r = evaluateValues(criteria, { ratings: {} });
    expect(r.outcome).toBe('compatible_with_concerns');
    expect(r.unknown).toHaveLength(5);
  });

  it('ignores ratings for keys outside the rubric', () => {
    const input = ratings({ ...allMeet });
    input.ratings.retired = { rating: 'not_met', evidence: '', links: [] };
    expect(evaluateValues(criteria, input).outcome).toBe('compatible');
  });
});

// ---- agenda ----

describe('evaluateAgenda', () => {
  it('all aligned or compatible is aligned, with no perception trigger', () => {
    const r = evaluateAgenda(
      [item('Stop home demolitions', 'aligned', 'demolitions'), item('Teach-in', 'compatible', null)],
      positions,
      { publicPositions: [] },
    );
    expect(r.outcome).toBe('aligned');
    expect(r.counts).toEqual({ aligned: 1, compatible: 1, no_position: 0, conflicting: 0, unknown: 0 });
    expect(r.perceptionRequired).toBe(false);
    expect(r.perceptionReasons).toEqual([]);
  });

  it('a conflicting item is a conflict, whatever else', () => {
    const r = evaluateAgenda(
      [item('a', 'aligned', null), item('b', 'no_position', 'two_states'), item('c', 'conflicting', 'antisemitism')],
      positions,
      { publicPositions: [] },
    );
    expect(r.outcome).toBe('conflict');
    expect(r.counts.conflicting).toBe(1);
  });

  it('no-position or unknown items are a manageable divergence', () => {
    expect(evaluateAgenda([item('a', 'aligned', null), item('b', 'unknown', null)], positions, { publicPositions: [] }).outcome).toBe(
      'manageable_divergence',
    );
    const r = evaluateAgenda([item('Two states', 'no_position', 'two_states')], positions, { publicPositions: [] });
    expect(r.outcome).toBe('manageable_divergence');
    // a no-position item that is not perception-sensitive does not trigger the review
    expect(r.perceptionRequired).toBe(false);
  });

  it('a no-position item mapped to a perception-sensitive position triggers the review (case 1)', () => {
    const r = evaluateAgenda(
      [item('Stop home demolitions', 'aligned', 'demolitions'), item('Boycott of Israeli goods', 'no_position', 'bds')],
      positions,
      { publicPositions: [] },
    );
    expect(r.outcome).toBe('manageable_divergence');
    expect(r.perceptionRequired).toBe(true);
    expect(r.perceptionReasons).toEqual([
      'Agenda item "Boycott of Israeli goods" maps to "the BDS movement", on which the organization takes no position (BDS).',
    ]);
  });

  it('the same position classified otherwise does not trigger', () => {
    const r = evaluateAgenda([item('Boycott', 'conflicting', 'bds')], positions, { publicPositions: [] });
    expect(r.perceptionRequired).toBe(false);
  });

  it('the partner profile alone triggers the review', () => {
    const r = evaluateAgenda([item('Teach-in', 'aligned', 'demolitions')], positions, { publicPositions: ['supports_bds'] });
    expect(r.outcome).toBe('aligned');
    expect(r.perceptionRequired).toBe(true);
    expect(r.perceptionReasons).toEqual(['The partner publicly supports BDS.']);
  });

  it('a profile tag for a movement not in the catalog does not trigger', () => {
    const r = evaluateAgenda([item('a', 'aligned', null)], positions, { publicPositions: ['supports_something_else'] });
    expect(r.perceptionRequired).toBe(false);
  });

  it('item and profile triggers both give reasons', () => {
    const r = evaluateAgenda([item('Boycott', 'no_position', 'bds')], positions, { publicPositions: ['SUPPORTS_BDS'] });
    expect(r.perceptionReasons).toHaveLength(2);
  });

  it('supportedMovements names the recorded movements a profile carries, read as the rule reads them', () => {
    expect(supportedMovements(['supports_bds'])).toEqual(['BDS']);
    expect(supportedMovements([' SUPPORTS_BDS ', 'supports_something_else'])).toEqual(['BDS']);
    expect(supportedMovements(['supports_something_else'])).toEqual([]);
    expect(supportedMovements([])).toEqual([]);
  });

  it('perceptionMovements lists each movement once', () => {
    expect(perceptionMovements([...positions, { ...positions[1], key: 'bds2' }])).toEqual(['BDS']);
    expect(perceptionMovements([])).toEqual([]);
  });
});

// ---- risk ----

describe('riskScore and bandFor', () => {
  it('multiplies likelihood by impact', () => {
    expect(riskScore(1, 1)).toBe(1);
    expect(riskScore(3, 4)).toBe(12);
    expect(riskScore(5, 5)).toBe(25);
  });

  it('rejects values outside 1..5 or not whole', () => {
    for (const [l, i] of [
      [0, 3],
      [6, 1],
      [2, 2.5],
      [3, -1],
      [Number.NaN, 2],
    ]) {
      expect(() => riskScore(l, i)).toThrow(RangeError);
    }
  });

  it('every band boundary', () => {
    expect(bandFor(1, matrix)).toBe('low');
    expect(bandFor(4, matrix)).toBe('low');
    expect(bandFor(5, matrix)).toBe('medium');
    expect(bandFor(9, matrix)).toBe('medium');
    expect(bandFor(10, matrix)).toBe('high');
    expect(bandFor(14, matrix)).toBe('high');
    expect(bandFor(15, matrix)).toBe('critical');
    expect(bandFor(25, matrix)).toBe('critical');
    expect(() => bandFor(26, matrix)).toThrow(RangeError);
    expect(() => bandFor(0, matrix)).toThrow(RangeError);
  });

  it('scale words', () => {
    expect(LIKELIHOOD_WORDS).toEqual(['rare', 'unlikely', 'possible', 'likely', 'almost certain']);
    expect(IMPACT_WORDS).toEqual(['negligible', 'minor', 'moderate', 'major', 'severe']);
  });
});

describe('evaluateRisk', () => {
  it('benefits clearly above residual risks: benefits outweigh, with the arithmetic', () => {
    const r = evaluateRisk([benefit(3, 4), benefit(2, 4), risk(3, 3, 2, 3), risk(2, 2)], matrix);
    expect(r.problems).toEqual([]);
    expect(r.benefitSum).toBe(20);
    expect(r.inherentRiskSum).toBe(13);
    expect(r.residualRiskSum).toBe(10);
    expect(r.close).toBe(false);
    expect(r.outcome).toBe('benefits_outweigh');
    expect(r.arithmetic).toBe(
      'Benefits outweigh risks. Benefits 12 + 8 = 20; residual risks 6 + 4 = 10; 20 > 10 by 10, more than the close margin of 4 (20% of the larger sum, 20).',
    );
  });

  it('scores items with inherent and residual bands; residual defaults to inherent', () => {
    const r = evaluateRisk([benefit(1, 4), risk(3, 5, 2, 2), risk(2, 5)], matrix);
    expect(r.items[0]).toMatchObject({ score: 4, band: 'low', residualScore: null, residualBand: null });
    expect(r.items[1]).toMatchObject({ score: 15, band: 'critical', residualScore: 4, residualBand: 'low' });
    expect(r.items[2]).toMatchObject({ score: 10, band: 'high', residualScore: 10, residualBand: 'high' });
  });

  it('residual risks above benefits: risks outweigh', () => {
    const r = evaluateRisk([benefit(1, 2), risk(3, 3), risk(2, 2)], matrix);
    expect(r.outcome).toBe('risks_outweigh');
    expect(r.arithmetic).toBe(
      'Risks outweigh benefits. Benefits 2; residual risks 9 + 4 = 13; 2 < 13 by 11, more than the close margin of 2.6 (20% of the larger sum, 13).',
    );
  });

  it('a tie is close and needs staff acceptance', () => {
    const r = evaluateRisk([benefit(2, 3), risk(3, 2)], matrix);
    expect(r.benefitSum).toBe(6);
    expect(r.residualRiskSum).toBe(6);
    expect(r.close).toBe(true);
    expect(r.outcome).toBe('needs_staff_acceptance');
    expect(r.arithmetic).toBe(
      'Needs staff acceptance: benefits and residual risks are too close to call. Benefits 6; residual risks 6; 6 = 6, within the close margin of 1.2 (20% of the larger sum, 6).',
    );
  });

  it('the close margin is inclusive, and just outside it is not close', () => {
    // 20% of 20 = 4: 20 vs 16 is close, 20 vs 15 is not (no residual risk is critical here)
    expect(evaluateRisk([benefit(4, 5), risk(4, 4)], matrix)).toMatchObject({ close: true, outcome: 'needs_staff_acceptance' });
    expect(evaluateRisk([benefit(4, 5), risk(3, 3), risk(2, 3)], matrix)).toMatchObject({ close: false, outcome: 'benefits_outweigh' });
    // the same margin when risks are the larger side: 16 vs 20 close, 15 vs 20 not
    const risks20 = [risk(3, 4), risk(2, 4)];
    expect(evaluateRisk([benefit(4, 4), ...risks20], matrix)).toMatchObject({ close: true, outcome: 'needs_staff_acceptance' });
    expect(evaluateRisk([benefit(3, 5), ...risks20], matrix)).toMatchObject({ close: false, outcome: 'risks_outweigh' });
  });

  it('a residual critical risk forces staff acceptance even when benefits outweigh', () => {
    const r = evaluateRisk([benefit(5, 5), benefit(5, 5), risk(5, 4, 3, 5)], matrix);
    expect(r.benefitSum).toBe(50);
    expect(r.residualRiskSum).toBe(15);
    expect(r.residualCriticalCount).toBe(1);
    expect(r.outcome).toBe('needs_staff_acceptance');
    expect(r.arithmetic).toMatch(/^Needs staff acceptance: a residual risk is still critical after mitigation/);
    expect(r.arithmetic).not.toMatch(/outweigh/);
  });

  it('a mitigated critical risk no longer forces staff acceptance', () => {
    const r = evaluateRisk([benefit(5, 5), risk(5, 4, 2, 2)], matrix);
    expect(r.residualCriticalCount).toBe(0);
    expect(r.outcome).toBe('benefits_outweigh');
  });

  it('an empty register asks for a risk and a benefit', () => {
    const r = evaluateRisk([], matrix);
    expect(r.problems.map((p) => p.message)).toEqual(['Add at least one risk.', 'Add at least one benefit.']);
    expect(r.problems.every((p) => p.index === null)).toBe(true);
    // 0 vs 0 is a tie
    expect(r.close).toBe(true);
    expect(r.arithmetic).toContain('Benefits none (0); residual risks none (0); 0 = 0');
  });

  it('no benefit is a problem', () => {
    const r = evaluateRisk([risk(2, 2)], matrix);
    expect(r.problems).toEqual([{ index: null, field: null, message: 'Add at least one benefit.' }]);
  });

  it('no risk is a problem', () => {
    expect(evaluateRisk([benefit(2, 2)], matrix).problems).toEqual([{ index: null, field: null, message: 'Add at least one risk.' }]);
  });

  it('a residual score above the inherent score is refused', () => {
    const r = evaluateRisk([benefit(3, 3), risk(2, 2, 3, 2)], matrix);
    expect(r.problems).toEqual([
      {
        index: 1,
        field: 'residualImpact',
        message: 'The residual score (6) cannot be above the inherent score (4): a mitigation does not raise a risk.',
      },
    ]);
  });

  it('a residual equal to the inherent score is fine', () => {
    expect(evaluateRisk([benefit(3, 3), risk(2, 3, 3, 2)], matrix).problems).toEqual([]);
  });

  it('residual values or a mitigation on a benefit are ignored', () => {
    const b = { ...benefit(2, 2), mitigation: 'x', residualLikelihood: 5, residualImpact: 5 };
    const r = evaluateRisk([b, risk(1, 1)], matrix);
    expect(r.problems).toEqual([]);
    expect(r.items[0].residualScore).toBeNull();
    expect(r.benefitSum).toBe(4);
  });

  it('half-given residual values and out-of-range values are field problems', () => {
    const r = evaluateRisk([benefit(3, 3), risk(2, 2, 1, null), { ...risk(2, 2), likelihood: 7 }], matrix);
    expect(r.problems).toEqual([
      { index: 1, field: 'residualImpact', message: expect.stringMatching(/both/) },
      { index: 2, field: 'likelihood', message: expect.any(String) },
    ]);
    expect(r.items).toHaveLength(3);
    expect(r.inherentRiskSum).toBe(4); // the invalid item stays out of the sums
  });
});

// ---- perception ----

describe('evaluatePerception', () => {
  it('all met: no perception risk', () => {
    const r = evaluatePerception(checklist, answers({ title: 'met', logo: 'met', disclaimer: 'met' }));
    expect(r).toMatchObject({ outcome: 'no_perception_risk', conditions: [], failing: [], unanswered: [] });
  });

  it('conditions become MOU clauses', () => {
    const r = evaluatePerception(checklist, answers({ title: 'met', logo: 'condition', disclaimer: 'condition' }));
    expect(r.outcome).toBe('acceptable_with_conditions');
    expect(r.conditions).toEqual([
      { itemKey: 'logo', label: 'Logo not beside BDS calls', clause: 'The logo is not placed beside BDS calls.' },
      { itemKey: 'disclaimer', label: 'Disclaimer on the listing', clause: 'The listing carries a disclaimer.' },
    ]);
  });

  it('any cannot-meet is unacceptable', () => {
    const r = evaluatePerception(checklist, answers({ title: 'cannot_meet', logo: 'condition', disclaimer: 'met' }));
    expect(r.outcome).toBe('unacceptable');
    expect(r.failing).toEqual(['title']);
  });

  it('lists unanswered items', () => {
    const r = evaluatePerception(checklist, answers({ title: 'met' }));
    expect(r.unanswered).toEqual(['logo', 'disclaimer']);
    expect(r.summary).toMatch(/2 checklist items are unanswered/);
  });
});

// ---- live previews: no verdict on an untouched form ----

describe('previews', () => {
  it('values: no verdict before any rating, nor while criteria are unrated; a required "does not meet" decides at once', () => {
    const none = previewValues(criteria, { ratings: {} });
    expect(none.determined).toBe(false);
    expect(none.summary).toBe('Not determined yet: rate the 5 criteria to see the outcome.');
    const some = previewValues(criteria, ratings({ independence: 'meets', transparency: 'concern' }));
    expect(some).toMatchObject({ determined: false });
    expect(some.summary).toContain('3 of 5 criteria still to rate');
    expect(previewValues(criteria, ratings({ independence: 'not_met' }))).toMatchObject({ determined: true, outcome: 'incompatible' });
    expect(previewValues(criteria, ratings(allMeet))).toMatchObject({ determined: true, outcome: 'compatible' });
    // The submitted step is judged as before: an unrated criterion is "not established".
    expect(evaluateValues(criteria, { ratings: {} }).outcome).toBe('compatible_with_concerns');
  });

  it('agenda: no verdict with no items', () => {
    const r = previewAgenda([], [], { publicPositions: [] });
    expect(r).toMatchObject({ determined: false, summary: 'Not determined yet: list at least one agenda item to see the outcome.' });
    expect(evaluateAgenda([], [], { publicPositions: [] }).outcome).toBe('aligned');
  });

  it('risk: no verdict until a risk and a benefit are scored', () => {
    expect(previewRisk([], matrix)).toMatchObject({ determined: false });
    expect(previewRisk([benefit(4, 4)], matrix)).toMatchObject({ determined: false });
    expect(previewRisk([benefit(4, 4), risk(2, 2)], matrix)).toMatchObject({ determined: true, outcome: 'benefits_outweigh' });
  });

  it('perception: no verdict while items are unanswered, unless one cannot be met', () => {
    expect(previewPerception(checklist, answers({}))).toMatchObject({ determined: false, summary: 'Not determined yet: answer the 3 checklist items to see the outcome.' });
    expect(previewPerception(checklist, answers({ title: 'met' }))).toMatchObject({ determined: false });
    expect(previewPerception(checklist, answers({ title: 'cannot_meet' }))).toMatchObject({ determined: true, outcome: 'unacceptable' });
    expect(previewPerception(checklist, answers({ title: 'met', logo: 'met', disclaimer: 'met' }))).toMatchObject({ determined: true, outcome: 'no_perception_risk' });
  });
});

describe('risk wording', () => {
  it('gives benefits their own scale words, never "critical"', () => {
    expect(bandWords('benefit', 'critical')).toBe('very large benefit');
    expect(bandWords('risk', 'critical')).toBe('critical risk');
  });

  it('the outcome sentence leads the arithmetic and agrees with the outcome', () => {
    const cases = [
      evaluateRisk([benefit(2, 2), risk(5, 5)], matrix), // critical, risks larger
      evaluateRisk([benefit(5, 5), benefit(5, 5), risk(5, 4, 3, 5)], matrix), // critical, benefits larger
      evaluateRisk([benefit(2, 3), risk(3, 2)], matrix),
      evaluateRisk([benefit(4, 5), risk(2, 2)], matrix),
      evaluateRisk([benefit(1, 2), risk(3, 3)], matrix),
    ];
    const lead: Record<string, RegExp> = {
      needs_staff_acceptance: /^Needs staff acceptance: /,
      benefits_outweigh: /^Benefits outweigh risks\. /,
      risks_outweigh: /^Risks outweigh benefits\. /,
    };
    for (const r of cases) {
      expect(r.arithmetic).toMatch(lead[r.outcome]!);
      if (r.outcome === 'needs_staff_acceptance') expect(r.arithmetic).not.toMatch(/outweigh/);
      expect(r.arithmetic).toMatch(/close margin of [\d.]+ \(20% of the larger sum, \d+\)/);
    }
  });
});
