import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../i18n/index.ts';

/** 中文 / English, remembered in localStorage. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      data-testid="lang-switch"
      size={size}
      value={i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}
      onChange={(value) => setLanguage(value)}
      options={[
        { value: 'zh-CN', label: <span data-testid="lang-zh">{t('lang.zh')}</span> },
        { value: 'en-US', label: <span data-testid="lang-en">{t('lang.en')}</span> },
      ]}
    />
  );
}
