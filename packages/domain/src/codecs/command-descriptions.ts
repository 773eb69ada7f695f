/**
 * What each command does, in one or two sentences, for the schemas of commands as a client sends them (an HTTP API's
 * OpenAPI document, MCP tool inputs). Keyed by command union, then `type` tag: the same tag means different things in
 * different aggregates (ReceiveTransfer, ReleaseEscrow). Kept beside the codecs' doc comments, which say the same.
 */
export const COMMAND_DESCRIPTIONS = {
  TreasuryCommand: {
    OpenTreasury: 'Opens the treasury with its buckets, roles and risk limits.',
    Deposit: 'Deposits funds. Without a bucket, the deposit is split by the targets (remainder to the reserve).',
    Withdraw: 'Withdraws funds from one bucket (to a named destination when the policy lists them).',
    Transfer: 'Moves funds between two buckets of this treasury.',
    RecordValuation: "Records a bucket's current value.",
    Rebalance: 'Moves funds between buckets toward their targets.',
    PlaceBet: 'Places a casino bet. Without a stake, the configured sizing policy sizes the bet.',
    SettleBet: 'Settles a placed bet as won or lost.',
    EndCasinoSession: 'Ends the current casino session.',
    OpenPosition: 'Opens a trading position. Give `size`, or `kelly` inputs to size it by the configured policy.',
    MarkPrice: "Marks a symbol's current price.",
    ClosePosition: 'Closes an open position at a price.',
    ApplyFunding: 'Applies a funding rate for one period; positive: longs pay shorts.',
    LockEscrow: 'Locks funds from the reserve for an escrow.',
    ReleaseEscrow: 'Pays the payee from the lock as a transfer (without an amount, all that remains).',
    RefundEscrow: 'Refunds an escrow lock.',
    SendTransfer:
      "The debit leg of a transfer to another aggregate, from the reserve, decided against this treasury's floors " +
      'and breakers.',
    ReceiveTransfer: 'The credit leg of a transfer another aggregate debited, into the reserve, once per transfer id.',
    ReturnTransfer: 'Takes back a transfer this treasury sent that the payee refused.',
    RecordReferralIncome: 'Records referral income earned by a service.',
    ReinvestReferrals: 'Reinvests accumulated referral income.',
    Tick: 'Lets event time pass: cooldowns expire and daily windows roll even when nothing else happens.',
    ResumeRisk: 'An operator resumes after a risk pause.',
    ResumeTrading: 'An operator resumes trading after a pause.',
    Swap: 'Swaps in the tactical sleeve through USDC at a venue fill, judged on slippage, gas and the caps.',
    RecordPrices:
      'Records token prices from a feed (BTC and ETH come with RecordMarket), for valuing and swapping holdings.',
    DepositAsset:
      "Records tokens that came into the sleeve from outside (e.g. SOL@solana), valued at the symbol's last price.",
    DepositToVenue:
      "Places idle money of the reserve bucket in a yield venue (lending, fixed-term, liquidity pool) at the venue's quote.",
    WithdrawFromVenue: 'Takes money back from a yield venue to the reserve bucket (all of it without an amount).',
    RecordVenueRate: "Records a variable-rate venue's new APY; what it earned so far is accrued at the old rate first.",
    AccrueYield: 'Records what every yield venue earned since its last accrual, in event time.',
    RecordAdvice: "Records an outside advisor's target for the last reading, refused if it breaks the risk rules.",
    RecordMarket:
      'Records a market reading (BTC/ETH, MVRV Z, funding, fear & greed) and the rule-based signal it gives.',
    ChangePolicy: 'An operator sets the next version of the spend policy (held for approvals when the policy says so).',
    ApproveRequest: 'An approver approves a held move; the last approval needed executes it, re-checked as of now.',
    DenyRequest: 'An approver denies a held move: it never executes.',
    EmergencyStop: 'An operator freezes every outflow of this treasury until operators lift the stop.',
    LiftEmergencyStop: "One operator's vote to lift the emergency stop (the policy says how many must vote).",
    SetMode: 'An operator switches between normal and reduce-only (nothing new opens, nothing is spent).',
  },
  PoolCommand: {
    OpenPool: 'Opens an insurance pool with its configuration.',
    JoinPool: 'An agent joins the pool. Give a risk score, or the profile it is computed from (neither: 0.5).',
    CollectPremium:
      'Collects one premium per member per period (e.g. "2026-03"); a second one for the period is refused.',
    FileClaim: 'A member files a claim with its evidence.',
    CastVote: 'A member votes to approve or reject a claim.',
    CloseVoting: 'After the voting window: hands an unresolved claim to the arbitration panel.',
    PayClaim: 'Pays an approved claim that found the reserve empty, once the reserve has funds again.',
    LeavePool: "Leaves the pool; the rest of the stake goes back to the member's treasury.",
    ReceiveTransfer:
      "The credit leg of a transfer the pool asked for (a stake or a premium the member's treasury debited).",
    CancelTransfer: 'The payer refused the debit the pool asked for: the admission is cancelled, or the cover lapses.',
    ReturnTransfer: 'Takes back a payout or stake return the payee refused.',
    LendReinsurance: 'Lends reinsurance funds to another pool.',
    BorrowReinsurance: 'Borrows reinsurance funds from another pool, for a fee.',
    RepayReinsurance: 'Repays a reinsurance loan.',
    ReceiveReinsuranceRepayment: 'Receives the repayment of a reinsurance loan this pool made.',
  },
  EscrowCommand: {
    CreateEscrow:
      'Creates an escrow. `job` adds collateral for a self-insured payee; `exposure` lets the exposure limit be ' +
      'checked on the same decision.',
    ReleaseEscrow: 'Releases the escrow to the payee with a proof (without an amount, all that remains).',
    RefundEscrow: 'Refunds the escrow to the payer, with a reason.',
    ExpireEscrow: 'Expires an escrow.',
    DisputeEscrow: 'Disputes an escrow, with a reason.',
    ResolveDispute: 'Settles a dispute one way or the other.',
  },
} as const satisfies Record<string, Record<string, string>>;
