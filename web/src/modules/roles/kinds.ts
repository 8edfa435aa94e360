import type { RoleKind } from '../../api/roles.ts';

export const ROLE_KIND_COLORS: Record<RoleKind, string> = {
  business: 'green',
  system: 'blue',
  security: 'volcano',
  audit: 'purple',
};
export const ROLE_KINDS: readonly RoleKind[] = ['business', 'system', 'security', 'audit'];
