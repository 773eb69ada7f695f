/**
 * Who may send each command over the API. Least privilege: an agent acts on its own treasury, as
 * itself in pools and as a party of its escrows; market data, settlement, breaker resets and
 * pool administration are an operator's; the legs of transfers and escrow locks are written only
 * by the process managers inside the server, never by a caller.
 */
export type CommandRule =
  /** Only the server's own process managers: refused to every caller. */
  | { readonly who: 'internal' }
  /** Operators only; `self` names a body field that must name the operator itself. */
  | { readonly who: 'operator'; readonly self?: string }
  /** The agent whose treasury it is (the aggregate id), or an operator. */
  | { readonly who: 'owner' }
  /** An agent naming itself in `field`; operators may name anyone unless `strict` (a vote is the voter's). */
  | { readonly who: 'self'; readonly field: string; readonly strict?: boolean }
  /** A party of the escrow as its state records it (`payer`, `payee`), or an operator. */
  | { readonly who: 'party'; readonly parties: readonly ('payer' | 'payee')[]; readonly self?: string };

const internal = { who: 'internal' } as const;
const operator = { who: 'operator' } as const;
const owner = { who: 'owner' } as const;

export const COMMAND_RULES: Readonly<Record<string, Readonly<Record<string, CommandRule>>>> = {
  treasury: {
    OpenTreasury: operator,
    Deposit: owner,
    Withdraw: owner,
    Transfer: owner,
    Rebalance: owner,
    PlaceBet: owner,
    EndCasinoSession: owner,
    OpenPosition: owner,
    ClosePosition: owner,
    SendTransfer: owner,
    RecordReferralIncome: owner,
    ReinvestReferrals: owner,
    Tick: owner,
    // Outcomes and prices come from the house or the market, not from the agent they favour.
    SettleBet: operator,
    MarkPrice: operator,
    ApplyFunding: operator,
    RecordValuation: operator,
    RecordMarket: operator,
    // Advice is only advice: the agent may ask its own advisor; the risk rules still decide every move.
    RecordAdvice: owner,
    // A fill is the venue's word, not the agent's: an agent reporting its own fills could invent what it bought.
    Swap: operator,
    // A venue's APY, maturity and exit fee are the venue's word (an agent quoting its own APY could accrue income
    // it never earned); taking money back out and accruing at the recorded terms invent nothing.
    // A token's price and a balance found on a chain are the feed's and the chain's word, not the agent's.
    RecordPrices: operator,
    DepositAsset: operator,
    DepositToVenue: operator,
    RecordVenueRate: operator,
    WithdrawFromVenue: owner,
    AccrueYield: owner,
    ResumeRisk: { who: 'operator', self: 'operator' },
    ResumeTrading: { who: 'operator', self: 'operator' },
    // Spend controls are an operator's, as themselves: an agent can neither raise its own budget, approve its own
    // move, nor lift a stop put on it.
    ChangePolicy: { who: 'operator', self: 'by' },
    ApproveRequest: { who: 'operator', self: 'approver' },
    DenyRequest: { who: 'operator', self: 'by' },
    EmergencyStop: { who: 'operator', self: 'by' },
    LiftEmergencyStop: { who: 'operator', self: 'by' },
    SetMode: { who: 'operator', self: 'by' },
    LockEscrow: internal,
    ReleaseEscrow: internal,
    RefundEscrow: internal,
    ReceiveTransfer: internal,
    ReturnTransfer: internal,
  },
  pool: {
    OpenPool: operator,
    JoinPool: { who: 'self', field: 'agentId' },
    LeavePool: { who: 'self', field: 'agentId' },
    FileClaim: { who: 'self', field: 'claimant' },
    CastVote: { who: 'self', field: 'voter', strict: true },
    CollectPremium: operator,
    CloseVoting: operator,
    PayClaim: operator,
    LendReinsurance: operator,
    BorrowReinsurance: operator,
    RepayReinsurance: operator,
    ReceiveReinsuranceRepayment: internal,
    ReceiveTransfer: internal,
    CancelTransfer: internal,
    ReturnTransfer: internal,
  },
  escrow: {
    CreateEscrow: { who: 'self', field: 'payer' },
    ReleaseEscrow: { who: 'party', parties: ['payer'] },
    RefundEscrow: { who: 'party', parties: ['payee'] },
    DisputeEscrow: { who: 'party', parties: ['payer', 'payee'], self: 'by' },
    ResolveDispute: { who: 'operator', self: 'by' },
    ExpireEscrow: internal,
  },
};
