import { useTranslation } from 'react-i18next';
import { type GridLevel, useGridLevels } from '../../api/grids.ts';

/** The display name of a grid level: the configured names from /grid-levels, else the built-in ones. */
export function useLevelName(): (level: GridLevel) => string {
  const { t, i18n } = useTranslation();
  const { data: levels } = useGridLevels();
  return (level) => {
    const info = levels?.find((l) => l.level === level);
    if (info) return i18n.language === 'en-US' ? info.nameEn : info.nameZh;
    return t(`level.${level}`);
  };
}
