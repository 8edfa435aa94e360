import { useTranslation } from 'react-i18next';

/** Picks the English name in English when there is one, else the Chinese name. */
export function useLocalName(): (zh: string, en?: string | null) => string {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  return (zh, en) => (english && en ? en : zh);
}
