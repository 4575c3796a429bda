import { describe, expect, it } from 'vitest';
import { activeConfig, addConfigVersion } from '../../db/config';
import { all, qb } from '../../db/connection';
import { proposalView } from '../../app/features/vetting/proposal-view.server';
import { actor } from './mou-fixtures';

// A proposal's heat map is drawn with the risk matrix its risk step was judged with, not whatever is active now.

describe('the risk matrix of a recorded risk step', () => {
  it('keeps its bands after an admin changes them', () => {
    const judged = all(qb().selectFrom('step_submissions').select('proposal_id').where('step', '=', 'risk'))[0]!;
    const before = proposalView(judged.proposal_id, actor('staff@cosponsor.test'))!.riskMatrix.bands;
    const { docs } = activeConfig();
    const changed = {
      ...docs.risk_matrix,
      bands: [
        { ...docs.risk_matrix.bands[0]!, max: 2 },
        { ...docs.risk_matrix.bands[1]!, min: 3 },
        ...docs.risk_matrix.bands.slice(2),
      ],
    };
    addConfigVersion('risk_matrix', changed, 'Low ends at 2', null);
    expect(activeConfig().docs.risk_matrix.bands[0]!.max).toBe(2);
    expect(proposalView(judged.proposal_id, actor('staff@cosponsor.test'))!.riskMatrix.bands).toEqual(before);
  });
});
