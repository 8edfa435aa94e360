import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];

// Both catalogues must hold the same keys: each is checked against the other's shape.
const en: typeof zhCN = enUS;
const zh: typeof enUS = zhCN;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

const STORAGE_KEY = 'gridgov.lang';

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en-US' ? 'en-US' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyDocumentLanguage(lng: Language): void {
  dayjs.locale(lng === 'en-US' ? 'en' : 'zh-cn');
  document.documentElement.lang = lng;
  document.title = i18n.t('app.title');
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, 'en-US': { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});
applyDocumentLanguage(storedLanguage());

/** Switches the interface language and remembers it in localStorage. */
export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // private mode: the choice lasts for this page only
  }
  void i18n.changeLanguage(lng).then(() => applyDocumentLanguage(lng));
}

export function currentLanguage(): Language {
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}

export { i18n };
