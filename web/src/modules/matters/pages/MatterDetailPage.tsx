import { ArrowLeftOutlined } from '@ant-design/icons';
import type { MatterState } from '@gridgov/common/workflow/matter';
import { Button, Card, Col, Row, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client.ts';
import { useMatter } from '../../../api/matters.ts';
import { LoadError, NotFound } from '../../../components/Results.tsx';
import { AttachmentsCard } from '../components/Attachments.tsx';
import { DeadlineCard } from '../components/DeadlineCard.tsx';
import { MatterActions } from '../components/MatterActions.tsx';
import { MatterFacts } from '../components/MatterFacts.tsx';
import { MatterMap } from '../components/MatterMap.tsx';
import { ProblemTag, StateTag, SupervisionBadge } from '../components/MatterTags.tsx';
import { MatterTimeline } from '../components/MatterTimeline.tsx';
import { PartiesCard } from '../components/Parties.tsx';
import { SupervisionCard } from '../components/SupervisionCard.tsx';

/**
 * One matter: the record, its place, files, parties (masked), the timeline, the time limit and the
 * actions the caller may take. On a phone the columns stack: deadline and actions come first.
 */
export function MatterDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const detail = useMatter(valid ? id : null);

  if (!valid || (isApiError(detail.error) && detail.error.status === 404)) return <NotFound />;
  if (detail.isError) return <LoadError error={detail.error} onRetry={() => void detail.refetch()} />;
  const matter = detail.data;
  if (!matter) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }

  return (
    <div
      data-testid="matter-detail"
      data-version={matter.version}
      data-state={matter.state}
      className="gg-matter-detail"
    >
      <div className="gg-matter-head">
        <Button
          type="text"
          icon={<ArrowLeftOutlined />}
          aria-label={t('common.back')}
          onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/matters'))}
        />
        <div className="gg-matter-head-text">
          <Typography.Title level={4} className="gg-matter-title">
            {matter.title}
          </Typography.Title>
          <Space size={6} wrap>
            <span className="gg-mono gg-matter-code">{matter.code}</span>
            <StateTag state={matter.state as MatterState} />
            <SupervisionBadge count={matter.openSupervisions} />
            <ProblemTag problem={matter.problem} />
          </Space>
        </div>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
          <Space orientation="vertical" size={16} className="gg-full-width">
            <MatterFacts matter={matter} />
            <Row gutter={[16, 16]}>
              <Col xs={24} md={12}>
                <Card size="small" title={t('matter.map')}>
                  <MatterMap gridId={matter.grid.id} location={matter.location} />
                </Card>
              </Col>
              <Col xs={24} md={12}>
                <Space orientation="vertical" size={16} className="gg-full-width">
                  <AttachmentsCard matter={matter} />
                  <PartiesCard matter={matter} />
                </Space>
              </Col>
            </Row>
            <MatterTimeline matter={matter} />
          </Space>
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
          <Space orientation="vertical" size={16} className="gg-full-width gg-matter-side">
            <DeadlineCard matter={matter} />
            <MatterActions matter={matter} onConflict={() => void detail.refetch()} />
            <SupervisionCard matter={matter} />
          </Space>
        </Col>
      </Row>
    </div>
  );
}
