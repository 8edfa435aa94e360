import { lazy } from 'react';
import { createBrowserRouter, Navigate, Outlet } from 'react-router-dom';
import { NotFound, RouteError } from '../components/Results.tsx';
import { SignInPage } from '../modules/auth/pages/SignInPage.tsx';
import { RequireAuth, SessionWatcher, useSignedInMe } from './auth.tsx';
import { AppLayout, type RouteHandle } from './layout.tsx';
import { homePathFor } from './nav.tsx';

const GridsPage = lazy(() =>
  import('../modules/grids/pages/GridsPage.tsx').then((m) => ({ default: m.GridsPage })),
);
const AccountsPage = lazy(() =>
  import('../modules/accounts/pages/AccountsPage.tsx').then((m) => ({ default: m.AccountsPage })),
);
const RolesPage = lazy(() =>
  import('../modules/roles/pages/RolesPage.tsx').then((m) => ({ default: m.RolesPage })),
);
const DepartmentsPage = lazy(() =>
  import('../modules/departments/pages/DepartmentsPage.tsx').then((m) => ({ default: m.DepartmentsPage })),
);
const PolicyPage = lazy(() =>
  import('../modules/policy/pages/PolicyPage.tsx').then((m) => ({ default: m.PolicyPage })),
);
const SystemSettingsPage = lazy(() =>
  import('../modules/settings/pages/SystemSettingsPage.tsx').then((m) => ({ default: m.SystemSettingsPage })),
);
const AuditPage = lazy(() =>
  import('../modules/audit/pages/AuditPage.tsx').then((m) => ({ default: m.AuditPage })),
);
const WorkbenchPage = lazy(() =>
  import('../modules/workbench/pages/WorkbenchPage.tsx').then((m) => ({ default: m.WorkbenchPage })),
);
const MattersPage = lazy(() =>
  import('../modules/matters/pages/MattersPage.tsx').then((m) => ({ default: m.MattersPage })),
);
const MatterDetailPage = lazy(() =>
  import('../modules/matters/pages/MatterDetailPage.tsx').then((m) => ({ default: m.MatterDetailPage })),
);
const DispatchPage = lazy(() =>
  import('../modules/dispatch/pages/DispatchPage.tsx').then((m) => ({ default: m.DispatchPage })),
);
const ReportPage = lazy(() =>
  import('../modules/matters/pages/ReportPage.tsx').then((m) => ({ default: m.ReportPage })),
);
const CategoriesPage = lazy(() =>
  import('../modules/categories/pages/CategoriesPage.tsx').then((m) => ({ default: m.CategoriesPage })),
);
const ProfilePage = lazy(() =>
  import('../modules/profile/pages/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })),
);

function Root() {
  return (
    <>
      <SessionWatcher />
      <Outlet />
    </>
  );
}

function HomeRedirect() {
  const me = useSignedInMe();
  return <Navigate to={homePathFor(me)} replace />;
}

const guarded = (handle: RouteHandle) => ({ handle });

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <SignInPage /> },
      {
        path: '/',
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'workbench', element: <WorkbenchPage />, ...guarded({ permission: 'matter.read' }) },
          { path: 'matters', element: <MattersPage />, ...guarded({ permission: 'matter.read' }) },
          { path: 'matters/:id', element: <MatterDetailPage />, ...guarded({ permission: 'matter.read' }) },
          { path: 'dispatch', element: <DispatchPage />, ...guarded({ permission: 'matter.dispatch' }) },
          { path: 'report', element: <ReportPage />, ...guarded({ permission: 'matter.report' }) },
          {
            path: 'settings/categories',
            element: <CategoriesPage />,
            ...guarded({ permission: 'category.manage' }),
          },
          { path: 'grids', element: <GridsPage />, ...guarded({ permission: 'grid.read' }) },
          { path: 'accounts', element: <AccountsPage />, ...guarded({ permission: 'account.read' }) },
          { path: 'roles', element: <RolesPage />, ...guarded({ permission: 'role.read' }) },
          {
            path: 'departments',
            element: <DepartmentsPage />,
            ...guarded({ permission: 'department.read' }),
          },
          { path: 'policy', element: <PolicyPage />, ...guarded({ permission: 'policy.manage' }) },
          {
            path: 'settings/system',
            element: <SystemSettingsPage />,
            ...guarded({ permission: 'settings.manage' }),
          },
          { path: 'audit', element: <AuditPage />, ...guarded({ permission: 'audit.read' }) },
          { path: 'me', element: <ProfilePage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
