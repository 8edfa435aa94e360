import { AimOutlined, EnvironmentOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Category, useCategories } from '../../../api/categories.ts';
import { useGridLookup } from '../../../api/grids.ts';
import {
  type CreateMatterBody,
  type MatterSummary,
  newIdempotencyKey,
  useDuplicates,
} from '../../../api/matters.ts';
import { useSignedInMe } from '../../../app/auth.tsx';
import { GridTreeSelect } from '../../../components/GridTreeSelect.tsx';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { ReportCategorySelect } from '../components/CategorySelect.tsx';
import { PhotoPicker } from '../components/PhotoPicker.tsx';
import { enqueueReport, processQueue } from '../report/queue.ts';
import { ReportMap } from '../report/ReportMap.tsx';
import { ReportQueueBadge } from '../report/ReportQueueBadge.tsx';

interface Values {
  categoryId?: number;
  title?: string;
  description?: string;
  place?: string;
  gridId?: number;
  photos?: File[];
  requesterName?: string;
  requesterPhone?: string;
  onSpot?: boolean;
  onSpotResult?: string;
}

type Fix = { lngLat: [number, number]; accuracy: number | null; by: 'gps' | 'map' };

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Links to open duplicates in a new tab, so that the report being written stays on screen. */
function DuplicateList({ items }: { items: MatterSummary[] }) {
  return (
    <ul className="gg-dup-list">
      {items.map((m) => (
        <li key={m.id}>
          <a
            href={`/matters/${m.id}`}
            target="_blank"
            rel="noopener"
            data-testid={`report-duplicate-${m.id}`}
          >
            <span className="gg-mono">{m.code}</span> {m.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * 上报 on a phone: category, what, where (GPS or a tap on the map of one's grids), photos from the
 * camera, the requester when the category collects it, and 当场办结. The report goes to the device's
 * queue first and is sent from there, so a dead zone loses nothing.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const { message } = App.useApp();
  const [form] = useLocalizedForm<Values>();
  const categories = useCategories();
  const [fix, setFix] = useState<Fix | null>(null);
  const [locating, setLocating] = useState(false);
  const [saving, setSaving] = useState(false);
  /** The values waiting for "report anyway" after the duplicate check found similar matters. */
  const [pendingDupes, setPendingDupes] = useState<Values | null>(null);
  const categoryId = Form.useWatch('categoryId', form);
  const onSpot = Form.useWatch('onSpot', form) ?? false;
  const category: Category | undefined = categories.data?.find((c) => c.id === categoryId);
  const needsLocation = category?.requiredFields.includes('location') ?? false;
  const needsPhotos = category?.requiredFields.includes('photos') ?? false;
  const asksName = category?.personalFields.includes('name') ?? false;
  const asksPhone = category?.personalFields.includes('phone') ?? false;
  const lookup = useGridLookup(fix?.lngLat ?? null);
  const duplicates = useDuplicates(categoryId, fix?.lngLat ?? null);
  const dupes = duplicates.data ?? [];

  const locate = () => {
    if (!('geolocation' in navigator) || !window.isSecureContext) {
      void message.warning(t('report.gpsUnavailable'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        setFix({
          lngLat: [round(p.coords.longitude), round(p.coords.latitude)],
          accuracy: p.coords.accuracy,
          by: 'gps',
        });
      },
      (e) => {
        setLocating(false);
        void message.warning(e.code === e.PERMISSION_DENIED ? t('report.gpsDenied') : t('report.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const save = async (v: Values) => {
    if (needsLocation && !fix) {
      void message.error(t('report.locationRequired'));
      return;
    }
    // Online, the server would refuse a place outside the caller's grids: say so now, not in the queue.
    if (fix && lookup.isSuccess && lookup.data === null) {
      void message.error(t('report.noGrid'));
      return;
    }
    const body: CreateMatterBody = {
      categoryId: v.categoryId as number,
      title: (v.title ?? '').trim(),
      description: (v.description ?? '').trim(),
    };
    if (fix) body.location = fix.lngLat;
    else if (v.gridId) body.gridId = v.gridId;
    const place = v.place?.trim();
    if (place) body.place = place;
    const requester = {
      ...(asksName && v.requesterName?.trim() ? { name: v.requesterName.trim() } : {}),
      ...(asksPhone && v.requesterPhone?.trim() ? { phone: v.requesterPhone.trim() } : {}),
    };
    if (Object.keys(requester).length) body.requester = requester;
    if (v.onSpot && v.onSpotResult?.trim()) body.onSpotResult = v.onSpotResult.trim();
    const photos = (v.photos ?? []).map((f, i) => ({
      blob: f as Blob,
      name: f.name || `photo-${i + 1}.jpg`,
    }));
    setSaving(true);
    try {
      await enqueueReport(me.id, newIdempotencyKey(), body, photos);
      if (navigator.onLine) void message.success(t('report.queuedOnline'));
      else void message.info(t('report.queuedOffline'));
      form.resetFields();
      form.setFieldsValue({ categoryId: v.categoryId, gridId: v.gridId });
      setFix(null);
      void processQueue(me.id, true);
    } catch {
      void message.error(t('report.storeFailed'));
    } finally {
      setSaving(false);
    }
  };

  const submit = (v: Values) => {
    if (dupes.length === 0) void save(v);
    else setPendingDupes(v);
  };

  if (categories.isError)
    return <LoadError error={categories.error} onRetry={() => void categories.refetch()} />;

  return (
    <div className="gg-report">
      <div className="gg-report-bar">
        <Typography.Text type="secondary">{t('report.hint')}</Typography.Text>
        <ReportQueueBadge />
      </div>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ gridId: me.homeGrid.id, onSpot: false }}
        requiredMark="optional"
        className="gg-report-form"
        scrollToFirstError
      >
        <Card size="small">
          <Form.Item
            name="categoryId"
            label={t('matter.category')}
            rules={[{ required: true, message: t('report.categoryRequired') }]}
          >
            <ReportCategorySelect categories={categories.data ?? []} testId="report-category" />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('report.title')}
            rules={[{ required: true, whitespace: true, message: t('report.titleRequired') }]}
          >
            <Input
              maxLength={100}
              size="large"
              placeholder={t('report.titlePlaceholder')}
              data-testid="report-title"
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('matter.description')}
            rules={[{ required: true, whitespace: true, message: t('report.descriptionRequired') }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={4000}
              showCount
              placeholder={t('report.descriptionPlaceholder')}
              data-testid="report-description"
            />
          </Form.Item>
        </Card>

        <Card
          size="small"
          title={
            <Space size={6}>
              <EnvironmentOutlined />
              {t('report.where')}
              {needsLocation && <span className="gg-required">*</span>}
            </Space>
          }
          className="gg-report-card"
        >
          <Button
            block
            size="large"
            icon={<AimOutlined />}
            loading={locating}
            onClick={locate}
            data-testid="report-locate"
          >
            {t('report.locate')}
          </Button>
          <Typography.Text type="secondary" className="gg-small gg-report-maphint">
            {t('report.tapMap')}
          </Typography.Text>
          <ReportMap
            location={fix?.lngLat ?? null}
            accuracy={fix?.accuracy ?? null}
            onPick={(lngLat) =>
              setFix({ lngLat: [round(lngLat[0]), round(lngLat[1])], accuracy: null, by: 'map' })
            }
          />
          {fix ? (
            <div className="gg-report-fix" data-testid="report-location">
              <span className="gg-mono">
                {fix.lngLat[0].toFixed(5)}, {fix.lngLat[1].toFixed(5)}
              </span>
              {fix.accuracy ? <span> · ±{Math.round(fix.accuracy)} m</span> : null}
              <span>
                {' · '}
                {lookup.isFetching ? (
                  t('report.findingGrid')
                ) : lookup.data ? (
                  <strong data-testid="report-grid-found">{lookup.data.name}</strong>
                ) : lookup.isSuccess ? (
                  <span className="gg-text-danger">{t('report.noGrid')}</span>
                ) : null}
              </span>
              <Button type="link" size="small" onClick={() => setFix(null)}>
                {t('report.clearLocation')}
              </Button>
            </div>
          ) : (
            !needsLocation && (
              <Form.Item name="gridId" label={t('report.gridFallback')} className="gg-report-grid">
                <GridTreeSelect testId="report-grid" known={me.homeGrid} />
              </Form.Item>
            )
          )}
          <Form.Item name="place" label={t('matter.place')} className="gg-report-place">
            <Input maxLength={200} placeholder={t('report.placePlaceholder')} data-testid="report-place" />
          </Form.Item>
          {dupes.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="report-duplicates"
              title={t('report.duplicates')}
              description={<DuplicateList items={dupes} />}
            />
          )}
        </Card>

        <Card size="small" title={t('report.photos')} className="gg-report-card">
          <Form.Item
            name="photos"
            rules={
              needsPhotos
                ? [{ required: true, type: 'array', min: 1, message: t('report.photosRequired') }]
                : []
            }
            className="gg-report-photos"
          >
            <PhotoPicker capture testId="report-photo" />
          </Form.Item>
        </Card>

        {(asksName || asksPhone) && (
          <Card size="small" title={t('report.requester')} className="gg-report-card">
            <Typography.Paragraph type="secondary" className="gg-small">
              {t('report.requesterHint')}
            </Typography.Paragraph>
            {asksName && (
              <Form.Item name="requesterName" label={t('party.field.name')}>
                <Input maxLength={64} autoComplete="off" data-testid="report-requester-name" />
              </Form.Item>
            )}
            {asksPhone && (
              <Form.Item
                name="requesterPhone"
                label={t('party.field.phone')}
                rules={[{ pattern: /^[0-9+\- ]{3,20}$/, message: t('report.phoneInvalid') }]}
              >
                <Input
                  inputMode="tel"
                  maxLength={20}
                  autoComplete="off"
                  data-testid="report-requester-phone"
                />
              </Form.Item>
            )}
          </Card>
        )}

        <Card size="small" className="gg-report-card">
          <div className="gg-report-onspot">
            <div>
              <Typography.Text strong>{t('report.onSpot')}</Typography.Text>
              <div className="gg-small gg-muted-note">{t('report.onSpotHint')}</div>
            </div>
            <Form.Item name="onSpot" valuePropName="checked" noStyle>
              <Switch data-testid="report-onspot" />
            </Form.Item>
          </div>
          {onSpot && (
            <Form.Item
              name="onSpotResult"
              label={t('report.onSpotResult')}
              rules={[{ required: true, whitespace: true, message: t('action.resultRequired') }]}
              className="gg-report-onspot-result"
            >
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="report-onspot-result" />
            </Form.Item>
          )}
        </Card>

        <Modal
          open={pendingDupes !== null}
          title={
            <Space size={8}>
              <WarningOutlined className="gg-warning-icon" />
              {t('report.duplicatesTitle')}
            </Space>
          }
          onCancel={() => setPendingDupes(null)}
          footer={
            <div className="gg-modal-footer">
              <Button onClick={() => setPendingDupes(null)}>{t('common.cancel')}</Button>
              <Button
                type="primary"
                data-testid="report-submit-anyway"
                onClick={() => {
                  const v = pendingDupes;
                  setPendingDupes(null);
                  if (v) void save(v);
                }}
              >
                {t('report.submitAnyway')}
              </Button>
            </div>
          }
        >
          <DuplicateList items={dupes} />
        </Modal>
        <div className="gg-report-submit">
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={saving}
            data-testid="report-submit"
          >
            {t('report.submit')}
          </Button>
        </div>
      </Form>
    </div>
  );
}
