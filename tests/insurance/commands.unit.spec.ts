import { decodeEscrowCommand, decodePoolCommand } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { T0 } from '../support/pool-fixtures';

describe('G5: pool and escrow commands are checked at the boundary', () => {
  it.each([
    ['a float stake', { type: 'JoinPool', at: T0, agentId: 'a', stake: 100.5, coverage: '100' }, 'stake'],
    ['a negative coverage', { type: 'JoinPool', at: T0, agentId: 'a', stake: '100', coverage: '-1' }, 'coverage'],
    [
      'a risk score out of range',
      { type: 'JoinPool', at: T0, agentId: 'a', stake: '100', coverage: '100', riskScore: '1.5' },
      'riskScore',
    ],
    [
      'an unknown coverage type',
      { type: 'FileClaim', at: T0, claimId: 'c', claimant: 'a', coverageType: 'boredom', amount: '1', evidence: {} },
      'coverageType',
    ],
    [
      'evidence with a float',
      {
        type: 'FileClaim',
        at: T0,
        claimId: 'c',
        claimant: 'a',
        coverageType: 'data_quality',
        amount: '1',
        evidence: { loss: 0.5 },
      },
      'evidence.loss',
    ],
    ['a bad period', { type: 'CollectPremium', at: T0, agentId: 'a', period: 'March' }, 'period'],
    ['a vote that is not a boolean', { type: 'CastVote', at: T0, claimId: 'c', voter: 'a', approve: 'yes' }, 'approve'],
  ])('pool: refuses %s', (_label, command, path) => {
    const result = decodePoolCommand(command);
    expect(E.isLeft(result) && result.left.message).toContain(path);
  });

  it.each([
    [
      'seven decimals',
      { type: 'CreateEscrow', at: T0, escrowId: 'e', payer: 'a', payee: 'b', amount: '1.0000001', deadline: T0 + 1 },
      'amount',
    ],
    [
      'an unknown job type',
      {
        type: 'CreateEscrow',
        at: T0,
        escrowId: 'e',
        payer: 'a',
        payee: 'b',
        amount: '1',
        deadline: T0 + 1,
        job: { type: 'mining', value: '1' },
      },
      'job.type',
    ],
    ['an unknown field', { type: 'ReleaseEscrow', at: T0, proof: 'p', to: 'b' }, 'to'],
    ['a missing proof', { type: 'ReleaseEscrow', at: T0 }, 'proof'],
  ])('escrow: refuses %s', (_label, command, path) => {
    const result = decodeEscrowCommand(command);
    expect(E.isLeft(result) && result.left.message).toContain(path);
  });
});
