/**
 * Permission strings. Roles are named sets of these; a role is assigned at a grid node
 * and covers that node's subtree.
 */
export const ADMIN_PERMISSIONS = {
  system: [
    'settings.manage',
    'category.manage',
    'account.read',
    'account.manage',
    'grid.read',
    'grid.manage',
    'department.read',
    'department.manage',
  ],
  security: [
    'account.read',
    'account.unlock',
    'role.read',
    'role.manage',
    'policy.manage',
    'grid.read',
    'department.read',
  ],
  audit: ['audit.read', 'audit.export', 'grid.read'],
} as const;

export type AdminKind = keyof typeof ADMIN_PERMISSIONS;
export const ADMIN_KINDS = Object.keys(ADMIN_PERMISSIONS) as AdminKind[];

/** Business permissions: what staff do in their grids. Matter permissions arrive with the matters module. */
export const BUSINESS_PERMISSIONS = [
  'grid.read',
  'grid.staff.read',
  'department.read',
  'matter.read',
  'matter.report',
  'matter.accept',
  'matter.dispatch',
  'matter.sign',
  'matter.handle',
  'matter.verify',
  'matter.escalate',
  'matter.supervise',
  'matter.rate',
  'matter.unmask',
  'matter.export',
] as const;

export type AdminPermission = (typeof ADMIN_PERMISSIONS)[AdminKind][number];
export type BusinessPermission = (typeof BUSINESS_PERMISSIONS)[number];
export type Permission = AdminPermission | BusinessPermission;

export const ALL_PERMISSIONS: readonly Permission[] = [
  ...new Set<Permission>([
    ...ADMIN_PERMISSIONS.system,
    ...ADMIN_PERMISSIONS.security,
    ...ADMIN_PERMISSIONS.audit,
    ...BUSINESS_PERMISSIONS,
  ]),
];

/** Permissions that only an administrator role may carry (read-only grid/department access is shared). */
const SHARED = new Set<string>(['grid.read', 'department.read', 'account.read']);

export function adminKindOf(permission: string): AdminKind | null {
  if (SHARED.has(permission)) return null;
  for (const kind of ADMIN_KINDS) {
    if ((ADMIN_PERMISSIONS[kind] as readonly string[]).includes(permission)) return kind;
  }
  return null;
}

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/**
 * Classifies a set of permissions: a role may be business-only, or hold the permissions of
 * exactly one administrator kind. Mixed sets are refused (no super-admin).
 */
export function classifyPermissions(
  perms: readonly string[],
): { kind: AdminKind | 'business' } | { error: string } {
  const kinds = new Set<AdminKind>();
  let business = false;
  for (const p of perms) {
    if (!isPermission(p)) return { error: `unknown permission ${p}` };
    const k = adminKindOf(p);
    if (k) kinds.add(k);
    else if (!SHARED.has(p)) business = true;
  }
  if (kinds.size > 1) return { error: 'a role cannot combine permissions of two administrator kinds' };
  const [only] = [...kinds];
  if (only && business) return { error: 'an administrator role cannot hold business permissions' };
  return { kind: only ?? 'business' };
}
