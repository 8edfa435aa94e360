import type { TFunction } from 'i18next';

/** "grid.read" → the localized label under `perm.grid_read`, or the raw string when unknown. */
export function permissionLabel(t: TFunction, permission: string): string {
  return t(`perm.${permission.replace(/\./g, '_')}` as 'perm.grid_read', { defaultValue: permission });
}
