import { useTranslation } from 'react-i18next';

export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="#1d4ed8" />
      <path d="M6 6h20v20H6z" fill="none" stroke="#fff" strokeWidth="2" />
      <path d="M16 6v20M6 16h20" stroke="#fff" strokeWidth="2" />
    </svg>
  );
}

/** The logo and the product name; the name hides when `compact`. */
export function Brand({ compact = false, light = false }: { compact?: boolean; light?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={`gg-brand${light ? ' gg-brand-light' : ''}`}>
      <BrandMark />
      {!compact && <span className="gg-brand-name">{t('app.title')}</span>}
    </div>
  );
}
