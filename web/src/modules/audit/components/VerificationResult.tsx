import { Alert, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditVerification } from '../../../api/audit.ts';
import { formatDateTimeSeconds } from '../../../components/format.ts';

type Broken = NonNullable<AuditVerification['firstBroken']>;

/** What went wrong, in the reader's language; anchor failures say which anchor and when. */
function useBrokenText() {
  const { t } = useTranslation();
  return (broken: Broken): string => {
    const at = formatDateTimeSeconds(broken.anchor?.at);
    if (broken.kind === 'truncated') {
      return broken.lastId === null || broken.lastId === undefined
        ? t('audit.verifyTruncatedEmpty', { at, id: broken.id })
        : t('audit.verifyTruncated', { at, id: broken.id, lastId: broken.lastId });
    }
    if (broken.kind === 'anchor_mismatch') return t('audit.verifyAnchorMismatch', { at, id: broken.id });
    return t(`audit.verifyKind.${broken.kind}`, { id: broken.id });
  };
}

/** The body of the verification dialog: the verdict, what was checked, and the first break. */
export function VerificationResult({ verification }: { verification: AuditVerification }) {
  const { t } = useTranslation();
  const brokenText = useBrokenText();
  const broken = verification.firstBroken;
  const latest = verification.anchors.latest;
  const anchorBroken = broken?.kind === 'truncated' || broken?.kind === 'anchor_mismatch';
  return (
    <div data-testid="audit-verify-result" data-ok={verification.ok} data-kind={broken?.kind}>
      <Alert
        type={verification.ok ? 'success' : 'error'}
        showIcon
        title={verification.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}
        description={
          broken ? (
            <>
              <div>{brokenText(broken)}</div>
              {anchorBroken && <div>{t('audit.verifyRestoreHint')}</div>}
            </>
          ) : undefined
        }
        className="gg-form-alert"
      />
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'checked',
            label: t('audit.verifyChecked'),
            children: verification.checked.toLocaleString(),
          },
          {
            key: 'algorithm',
            label: t('audit.verifyAlgorithm'),
            children: verification.algorithm.toUpperCase(),
          },
          {
            key: 'anchors',
            label: t('audit.verifyAnchors'),
            children: latest ? (
              t('audit.verifyAnchorsSummary', {
                checked: verification.anchors.checked,
                id: latest.id,
                at: formatDateTimeSeconds(latest.at),
              })
            ) : (
              <Typography.Text type="warning">{t('audit.verifyAnchorsNone')}</Typography.Text>
            ),
          },
          ...(broken
            ? [
                {
                  key: 'broken',
                  label: t('audit.verifyFirstBroken'),
                  children: `#${broken.id} · ${t(`audit.verifyKindName.${broken.kind}`)}`,
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
