import type { Supervision } from '@gridgov/common/schemas/matters';
import type { Ctx } from '../../lib/context.ts';
import { mayClose, mayReply } from './supervision.policy.ts';
import type { SupervisionView } from './supervision.repository.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentSupervision(ctx: Ctx, row: SupervisionView): Supervision {
  return {
    id: row.id,
    matterId: row.matter_id,
    issuer: row.issuer_id === null ? null : { id: row.issuer_id, name: row.issuer_name ?? '' },
    issuerGrid: { id: row.issuer_grid_id, name: row.issuer_grid_name },
    priority: row.priority as Supervision['priority'],
    reason: row.reason,
    deadline: iso(row.deadline),
    state: row.state as Supervision['state'],
    reply: row.reply,
    repliedAt: row.replied_at === null ? null : iso(row.replied_at),
    automatic: row.automatic,
    createdAt: iso(row.created_at),
    abilities: {
      reply: row.state === 'open' && mayReply(ctx, row, row.issuer_grid_path),
      close: row.state !== 'closed' && mayClose(ctx, row.issuer_grid_path),
    },
  };
}
