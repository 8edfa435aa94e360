import { DatePicker, Empty, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  value?: string[];
  onChange?: (value: string[]) => void;
  /** Dates that may not be added here (those of the other list). */
  taken?: readonly string[];
  color?: string;
  testId: string;
}

/** 'YYYY-MM-DD' as a local calendar day, whatever the browser's time zone. */
const dayOf = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
};

/** A list of calendar dates: a picker to add one (or drop a chosen one, marked in the calendar), and the dates as closable tags grouped by year. */
export function DateListInput({ value = [], onChange, taken = [], color, testId }: Props) {
  const { t, i18n } = useTranslation();
  const format = useMemo(() => {
    const day = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const weekday = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' });
    return (date: Date) => `${day.format(date)} ${weekday.format(date)}`;
  }, [i18n.language]);
  const chosen = useMemo(() => new Set(value), [value]);
  const blocked = useMemo(() => new Set(taken), [taken]);
  const years = useMemo(() => {
    const byYear = new Map<string, string[]>();
    for (const date of [...new Set(value)].sort()) {
      const year = date.slice(0, 4);
      byYear.set(year, [...(byYear.get(year) ?? []), date]);
    }
    return [...byYear];
  }, [value]);

  const add = (day: Dayjs | null) => {
    if (!day) return;
    const date = day.format('YYYY-MM-DD');
    onChange?.(chosen.has(date) ? value.filter((d) => d !== date) : [...value, date].sort());
  };
  const remove = (date: string) => onChange?.(value.filter((d) => d !== date));

  return (
    <div className="gg-date-list" data-testid={testId}>
      <DatePicker
        value={null}
        defaultPickerValue={value.length > 0 ? dayjs(value[value.length - 1]) : undefined}
        onChange={add}
        placeholder={t('settings.holidays.addDate')}
        disabledDate={(d) => blocked.has(d.format('YYYY-MM-DD'))}
        cellRender={(current, info) => {
          if (info.type !== 'date') return info.originNode;
          const date = dayjs(current).format('YYYY-MM-DD');
          return chosen.has(date) ? (
            <div className="gg-date-list-chosen">{info.originNode}</div>
          ) : (
            info.originNode
          );
        }}
        data-testid={`${testId}-add`}
      />
      {years.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('settings.holidays.none')} />
      ) : (
        years.map(([year, dates]) => (
          <div key={year} className="gg-date-list-year" data-year={year}>
            <Typography.Text strong className="gg-date-list-year-label">
              {t('settings.holidays.year', { year })}
              <Typography.Text type="secondary">
                {' '}
                · {t('settings.holidays.count', { n: dates.length })}
              </Typography.Text>
            </Typography.Text>
            <div className="gg-date-list-tags">
              {dates.map((date) => (
                <Tag
                  key={date}
                  color={color}
                  closable
                  onClose={(e) => {
                    e.preventDefault();
                    remove(date);
                  }}
                  title={date}
                  data-date={date}
                >
                  {format(dayOf(date))}
                </Tag>
              ))}
            </div>
          </div>
        ))
      )}
    </div>
  );
}
