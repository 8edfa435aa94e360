import type { AdminKind, Permission } from '@gridgov/common/permissions';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from './clock.ts';

/** Where a permission applies: a grid subtree, optionally narrowed to one department's matters. */
export interface Grant {
  path: string;
  departmentId: number | null;
}

export interface Actor {
  id: number;
  username: string;
  displayName: string;
  homeGridId: number;
  homePath: string;
  departmentId: number | null;
  /** 'business' for staff, else the administrator kind; null when the account holds no role yet. */
  kind: AdminKind | 'business' | null;
  roles: string[];
  grants: ReadonlyMap<Permission, readonly Grant[]>;
  sessionId: string;
}

/** The request context every service function takes first. */
export interface Ctx {
  db: Database;
  clock: Clock;
  config: Config;
  requestId: string;
  ip: string | null;
  actor: Actor | null;
}

/** A context for the CLI and background jobs: no request, a named system actor in the audit. */
export function systemContext(base: Pick<Ctx, 'db' | 'clock' | 'config'>, requestId = 'system'): Ctx {
  return { ...base, requestId, ip: null, actor: null };
}
