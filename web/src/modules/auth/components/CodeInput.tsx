import { Input } from 'antd';

/** A six-digit one-time code: numeric keyboard on phones, digits only. */
export function CodeInput({
  value,
  onChange,
  testId,
  autoFocus,
}: {
  value?: string;
  onChange?: (value: string) => void;
  testId: string;
  autoFocus?: boolean;
}) {
  return (
    <Input
      data-testid={testId}
      value={value}
      onChange={(e) => onChange?.(e.target.value.replace(/\D/g, '').slice(0, 6))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      placeholder="000000"
      autoFocus={autoFocus}
      className="gg-code-input"
      size="large"
    />
  );
}

export const CODE_RULE = { pattern: /^\d{6}$/ } as const;
