// @ts-check
// Insurance pools, live from pool-health: reserve, funding ratio against the pool's minimum
// (underfunded pools flagged), and for the chosen pool its members (stake, coverage, reputation) and
// its open claims with their votes and deadlines. What pool-health leaves out (the minimum, members'
// stakes, votes) comes from the pool's own state, fetched again only when its health row changes.
import { fromNow, instant, money, percent } from '../format-money.js';
import { actionButton, cell, h, lines, syncRows, tableShell } from '../table-render.js';

/**
 * @typedef {{ filed: number, pending: number, approved: number, rejected: number, paid: string, slashed: string,
 *   active: boolean }} Reputation
 * @typedef {{ claimId: string, claimant: string, amount: string, status: string, deadline: number }} OpenClaim
 * @typedef {{ poolId: string, reserve: string, coverage: string, fundingRatio: string, underfunded: boolean,
 *   openClaims: OpenClaim[], reputation: Record<string, Reputation> }} PoolHealth
 * @typedef {{ agentId: string, stake: string, coverage: string, riskScore: string, active: boolean, lapsed: boolean,
 *   left: boolean, premiumsPaid: string }} Member
 * @typedef {{ claimId: string, coverageType: string, eligible: string[], votes: Record<string, boolean>,
 *   panel?: string[], panelVotes: Record<string, boolean> }} Claim
 * @typedef {{ config?: { minFundingRatio: string, quorum: string, approvalThreshold: string },
 *   members: Record<string, Member>, claims: Record<string, Claim> }} PoolState
 */

/** @param {PoolHealth} p @param {PoolState | undefined} s @param {boolean} chosen @param {(id: string) => void} choose */
const poolRow = (p, s, chosen, choose) => {
  const min = s?.config?.minFundingRatio;
  const members = s === undefined ? undefined : Object.values(s.members).filter((m) => !m.left).length;
  return {
    key: p.poolId,
    signature: JSON.stringify([
      p.reserve,
      p.coverage,
      p.fundingRatio,
      p.underfunded,
      p.openClaims.length,
      min,
      members,
      chosen,
    ]),
    build: () =>
      h(
        'tr',
        {
          data: { pool: p.poolId },
          class: [p.underfunded ? 'table-flag' : '', chosen ? 'table-selected' : ''].join(' ').trim(),
        },
        h('th', { attrs: { scope: 'row' }, data: { label: 'Pool' }, text: p.poolId }),
        cell('Reserve', money(p.reserve), { num: true }),
        cell('Coverage', money(p.coverage), { num: true }),
        cell(
          'Funding',
          [
            h('span', { class: p.underfunded ? 'bad' : 'ok', text: percent(p.fundingRatio, 1) }),
            min !== undefined ? h('span', { class: 'muted', text: ` of min ${percent(min, 0)}` }) : '',
            p.underfunded ? h('strong', { class: 'bad', text: ' UNDERFUNDED' }) : '',
          ],
          { field: 'funding' },
        ),
        cell('Members', members === undefined ? '…' : String(members), { num: true }),
        cell('Open claims', String(p.openClaims.length), { num: true }),
        cell(
          'Details',
          chosen
            ? h('span', { class: 'muted', text: 'shown below' })
            : actionButton(`Show ${p.poolId}`, () => choose(p.poolId)),
        ),
      ),
  };
};

/** @param {Member} m @param {Reputation | undefined} r */
const memberRow = (m, r) => ({
  key: m.agentId,
  signature: JSON.stringify([m, r]),
  build: () =>
    h(
      'tr',
      { data: { member: m.agentId } },
      h('th', { attrs: { scope: 'row' }, data: { label: 'Member' }, text: m.agentId }),
      cell('Stake', money(m.stake), { num: true }),
      cell('Coverage', money(m.coverage), { num: true }),
      cell('Risk score', Number(m.riskScore).toFixed(3), { num: true }),
      cell(
        'Standing',
        h('span', {
          class: m.left ? 'muted' : m.lapsed ? 'warn' : m.active ? 'ok' : 'warn',
          text: m.left ? 'left' : m.lapsed ? 'lapsed (not covered)' : m.active ? 'active' : 'inactive',
        }),
      ),
      cell('Premiums', money(m.premiumsPaid), { num: true }),
      cell(
        'Reputation',
        r === undefined
          ? '—'
          : lines([
              [`claims ${r.filed}: ${r.approved} approved, ${r.rejected} rejected, ${r.pending} pending`],
              [
                h('span', { text: `paid ${money(r.paid)}` }),
                h('span', { class: Number(r.slashed) > 0 ? 'bad' : 'muted', text: `slashed ${money(r.slashed)}` }),
              ],
            ]),
      ),
    ),
});

/** @param {Record<string, boolean>} votes */
const tally = (votes) => {
  const all = Object.values(votes);
  const yes = all.filter(Boolean).length;
  return { yes, no: all.length - yes, cast: all.length };
};

/** @param {OpenClaim} c @param {Claim | undefined} full @param {PoolState | undefined} s @param {number} now */
const claimRow = (c, full, s, now) => {
  const late = c.deadline <= now;
  return {
    key: c.claimId,
    signature: JSON.stringify([c, full, late]),
    build: () => {
      const votes = full ? tally(full.votes) : undefined;
      const panel = full?.panel ? tally(full.panelVotes) : undefined;
      // The quorum is the pool's ratio of eligible voters, shown as configured (the rule rounds it).
      const quorum = s?.config ? percent(s.config.quorum, 0) : undefined;
      return h(
        'tr',
        { data: { claim: c.claimId } },
        h('th', { attrs: { scope: 'row' }, data: { label: 'Claim' }, text: c.claimId }),
        cell('Claimant', c.claimant),
        cell('Type', full?.coverageType ?? '…'),
        cell('Amount', money(c.amount), { num: true }),
        cell('Status', h('span', { class: c.status === 'arbitration' ? 'warn' : '', text: c.status }), {
          field: 'status',
        }),
        cell(
          'Votes',
          votes === undefined
            ? '…'
            : lines(
                [
                  [
                    h('span', { class: 'ok', text: `${votes.yes} yes` }),
                    h('span', { class: 'bad', text: `${votes.no} no` }),
                    h('span', {
                      class: 'muted',
                      text: `of ${full?.eligible.length} eligible${quorum !== undefined ? `, quorum ${quorum}` : ''}`,
                    }),
                  ],
                  panel ? [`panel: ${panel.yes} yes, ${panel.no} no of ${full?.panel?.length}`] : [],
                ].filter((l) => l.length > 0),
              ),
        ),
        cell('Deadline', [
          instant(c.deadline),
          h('div', { class: late ? 'bad' : 'muted', text: late ? 'passed' : fromNow(c.deadline, now) }),
        ]),
      );
    },
  };
};

/** @type {import('../app.js').View} */
export const poolsView = {
  id: 'pools',
  title: 'Pools',
  mount: (root, ctx) => {
    const pools = tableShell(
      'pools',
      'Insurance pools',
      ['Pool', 'Reserve', 'Coverage', 'Funding ratio', 'Members', 'Open claims', 'Details'].map((label, i) => ({
        label,
        num: i === 1 || i === 2 || i === 4 || i === 5,
      })),
    );
    const members = tableShell(
      'members',
      'Members',
      ['Member', 'Stake', 'Coverage', 'Risk score', 'Standing', 'Premiums paid', 'Reputation'].map((label, i) => ({
        label,
        num: i >= 1 && i <= 3,
      })),
    );
    const claims = tableShell(
      'claims',
      'Open claims',
      ['Claim', 'Claimant', 'Type', 'Amount', 'Status', 'Votes', 'Deadline'].map((label) => ({
        label,
        num: label === 'Amount',
      })),
    );
    const asOf = h('p', { class: 'muted', text: 'connecting to the live read model…' });
    root.append(asOf, pools.wrap, members.wrap, claims.wrap);

    /** @type {PoolHealth[]} */
    let health = [];
    /** @type {Map<string, PoolState>} */
    const states = new Map();
    const fetchedFor = new Map();
    const fetching = new Set();
    /** @type {string | undefined} */
    let chosen;

    const render = () => {
      if (!pools.wrap.isConnected) return;
      const now = Date.now();
      const pick = health.find((p) => p.poolId === chosen) ?? health[0];
      chosen = pick?.poolId;
      syncRows(
        pools.tbody,
        health.map((p) =>
          poolRow(p, states.get(p.poolId), p.poolId === chosen, (id) => {
            chosen = id;
            render();
          }),
        ),
        'no pool opened yet',
      );
      const s = pick === undefined ? undefined : states.get(pick.poolId);
      /** @type {HTMLElement} */ (members.table.caption).textContent = pick ? `Members of ${pick.poolId}` : 'Members';
      /** @type {HTMLElement} */ (claims.table.caption).textContent = pick
        ? `Open claims of ${pick.poolId}`
        : 'Open claims';
      syncRows(
        members.tbody,
        s === undefined || pick === undefined
          ? []
          : Object.values(s.members)
              .sort((a, b) => (a.agentId < b.agentId ? -1 : 1))
              .map((m) => memberRow(m, pick.reputation[m.agentId])),
        s === undefined ? 'loading…' : 'no member',
      );
      syncRows(
        claims.tbody,
        (pick?.openClaims ?? []).map((c) => claimRow(c, s?.claims[c.claimId], s, now)),
        'no open claim',
      );
    };

    /** @param {PoolHealth} p */
    const refresh = async (p) => {
      const basis = JSON.stringify(p);
      if (fetching.has(p.poolId) || fetchedFor.get(p.poolId) === basis) return;
      fetching.add(p.poolId);
      fetchedFor.set(p.poolId, basis);
      try {
        const { body } = await ctx.api(`/v1/pools/${encodeURIComponent(p.poolId)}`);
        states.set(p.poolId, body.state);
        render();
      } catch (error) {
        ctx.notify(`pool ${p.poolId}: ${String(error)}`, true);
      } finally {
        fetching.delete(p.poolId);
      }
      const latest = health.find((q) => q.poolId === p.poolId);
      if (latest !== undefined && pools.wrap.isConnected) void refresh(latest);
    };

    ctx.follow('/v1/read-models/pool-health/stream', (data, event) => {
      if (event !== 'state') return;
      health = data.state;
      const underfunded = health.filter((p) => p.underfunded).length;
      asOf.textContent = `${health.length} pools${underfunded ? `, ${underfunded} underfunded` : ''}, live as of event ${data.position}`;
      for (const p of health) void refresh(p);
      render();
    });
  },
};
