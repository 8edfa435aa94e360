import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  CameraOutlined,
  DashboardOutlined,
  LockOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@gridgov/common/permissions';
import type { Me } from '@gridgov/common/schemas/auth';
import type { ReactNode } from 'react';
import { hasPermission } from './auth.tsx';

export type NavKey =
  | 'workbench'
  | 'matters'
  | 'dispatch'
  | 'report'
  | 'grids'
  | 'accounts'
  | 'roles'
  | 'departments'
  | 'categories'
  | 'policy'
  | 'settings'
  | 'audit'
  | 'me';

export interface NavItem {
  key: NavKey;
  path: string;
  /** `null`: every signed-in user. */
  permission: Permission | null;
  icon: ReactNode;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'workbench', path: '/workbench', permission: 'matter.read', icon: <DashboardOutlined /> },
  { key: 'matters', path: '/matters', permission: 'matter.read', icon: <ProfileOutlined /> },
  { key: 'dispatch', path: '/dispatch', permission: 'matter.dispatch', icon: <SendOutlined /> },
  { key: 'report', path: '/report', permission: 'matter.report', icon: <CameraOutlined /> },
  { key: 'grids', path: '/grids', permission: 'grid.read', icon: <ApartmentOutlined /> },
  { key: 'accounts', path: '/accounts', permission: 'account.read', icon: <TeamOutlined /> },
  { key: 'roles', path: '/roles', permission: 'role.read', icon: <SafetyCertificateOutlined /> },
  { key: 'departments', path: '/departments', permission: 'department.read', icon: <BankOutlined /> },
  { key: 'categories', path: '/settings/categories', permission: 'category.manage', icon: <TagsOutlined /> },
  { key: 'policy', path: '/policy', permission: 'policy.manage', icon: <LockOutlined /> },
  { key: 'settings', path: '/settings/system', permission: 'settings.manage', icon: <SettingOutlined /> },
  { key: 'audit', path: '/audit', permission: 'audit.read', icon: <AuditOutlined /> },
  { key: 'me', path: '/me', permission: null, icon: <UserOutlined /> },
];

/** The menu entries the caller's permissions allow, in menu order. */
export function navItemsFor(me: Me): NavItem[] {
  return NAV_ITEMS.filter((item) => item.permission === null || hasPermission(me, item.permission));
}

/** Where to land after sign-in: the first permitted page. */
export function homePathFor(me: Me): string {
  return navItemsFor(me)[0]?.path ?? '/me';
}
