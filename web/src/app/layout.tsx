import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import type { Permission } from '@gridgov/common/permissions';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useMatches, useNavigate } from 'react-router-dom';
import { useSignOut } from '../api/auth.ts';
import { usePublicConfig } from '../api/config.ts';
import { Brand } from '../components/Brand.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Forbidden } from '../components/Results.tsx';
import { ReportQueueRunner } from '../modules/matters/report/ReportQueueRunner.tsx';
import { LiveEvents } from '../modules/notifications/components/LiveEvents.tsx';
import { NotificationBell } from '../modules/notifications/components/NotificationBell.tsx';
import { FullPageSpin, hasPermission, useSignedInMe } from './auth.tsx';
import { navItemsFor } from './nav.tsx';

const { Header, Sider, Content } = Layout;

export interface RouteHandle {
  permission?: Permission;
}

function useRequiredPermission(): Permission | undefined {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle = matches[i]?.handle as RouteHandle | undefined;
    if (handle?.permission) return handle.permission;
  }
  return undefined;
}

/** The signed-in frame: a menu that follows the caller's permissions, a header, the page. */
export function AppLayout() {
  const me = useSignedInMe();
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { data: config } = usePublicConfig();
  const required = useRequiredPermission();
  const matters = hasPermission(me, 'matter.read');

  const items = navItemsFor(me);
  const current = items.find(
    (i) => location.pathname === i.path || location.pathname.startsWith(`${i.path}/`),
  );

  const menu = (
    <Menu
      data-testid="nav-menu"
      mode="inline"
      theme="dark"
      selectedKeys={current ? [current.path] : []}
      items={items.map((item) => ({
        key: item.path,
        icon: item.icon,
        label: <span data-testid={`nav-${item.key}`}>{t(`nav.${item.key}`)}</span>,
      }))}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
    />
  );

  const doSignOut = () =>
    signOut.mutate(undefined, { onSettled: () => navigate('/login', { replace: true, state: {} }) });

  const userMenu = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div className="gg-user-card">
            <Typography.Text strong>{me.displayName}</Typography.Text>
            <Typography.Text type="secondary">{me.homeGrid.name}</Typography.Text>
          </div>
        ),
      },
      { type: 'divider' as const },
      { key: 'me', icon: <UserOutlined />, label: t('nav.me') },
      {
        key: 'signout',
        icon: <LogoutOutlined />,
        label: <span data-testid="sign-out-item">{t('auth.signOut')}</span>,
      },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'me') navigate('/me');
      if (key === 'signout') doSignOut();
    },
  };

  return (
    <Layout className="gg-shell">
      {matters && <LiveEvents />}
      {hasPermission(me, 'matter.report') && <ReportQueueRunner />}
      {!isMobile && (
        <Sider
          width={216}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          className="gg-sider"
        >
          <Brand compact={collapsed} light />
          {menu}
        </Sider>
      )}
      {isMobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={256}
          closable={false}
          className="gg-nav-drawer"
          styles={{ body: { padding: 0 } }}
        >
          <Brand light />
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header className="gg-header">
          <Space size={8} className="gg-header-left">
            {isMobile && (
              <Button
                type="text"
                data-testid="nav-toggle"
                aria-label={t('nav.open')}
                icon={<MenuOutlined />}
                onClick={() => setDrawerOpen(true)}
              />
            )}
            <Typography.Title level={4} className="gg-page-title" ellipsis>
              {current ? t(`nav.${current.key}`) : t('app.title')}
            </Typography.Title>
            {config?.demo && <Tag color="orange">{t('app.demo')}</Tag>}
          </Space>
          <Space size={isMobile ? 4 : 16} className="gg-header-right">
            {matters && <NotificationBell />}
            <LanguageSwitch size={isMobile ? 'small' : 'middle'} />
            {isMobile ? (
              <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
                <Button
                  type="text"
                  data-testid="user-menu"
                  aria-label={me.displayName}
                  className="gg-avatar-btn"
                >
                  <Avatar size="small" icon={<UserOutlined />} />
                </Button>
              </Dropdown>
            ) : (
              <>
                <div className="gg-user" data-testid="user-info">
                  <Typography.Text strong ellipsis>
                    {me.displayName}
                  </Typography.Text>
                  <Typography.Text type="secondary" ellipsis className="gg-user-grid">
                    {me.homeGrid.name}
                  </Typography.Text>
                </div>
                <Button
                  data-testid="sign-out"
                  icon={<LogoutOutlined />}
                  loading={signOut.isPending}
                  onClick={doSignOut}
                >
                  {t('auth.signOut')}
                </Button>
              </>
            )}
          </Space>
        </Header>
        <Content className="gg-content">
          <Suspense fallback={<FullPageSpin />}>
            {required && !hasPermission(me, required) ? <Forbidden /> : <Outlet />}
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
