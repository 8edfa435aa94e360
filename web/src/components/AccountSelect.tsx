import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccounts } from '../api/accounts.ts';
import { useDebounced } from './useDebounced.ts';

/** Picks an account by name or username; `known` labels the values already chosen. */
export function AccountSelect({
  value,
  onChange,
  known = [],
  testId,
}: {
  value?: number;
  onChange?: (value: number) => void;
  known?: { id: number; label: string }[];
  testId?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const { data, isFetching } = useAccounts({ q: debounced || undefined, limit: 20, offset: 0 });
  const options = new Map<number, string>(known.map((k) => [k.id, k.label]));
  for (const a of data?.items ?? []) options.set(a.id, `${a.displayName} (${a.username})`);
  return (
    <Select<number>
      data-testid={testId}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={isFetching}
      placeholder={t('account.pick')}
      notFoundContent={isFetching ? null : t('common.noMatch')}
      options={[...options].map(([id, label]) => ({ value: id, label }))}
    />
  );
}
