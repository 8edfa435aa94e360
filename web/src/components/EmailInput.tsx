import { Input, type InputProps } from 'antd';
import { EMAIL_MAX_LENGTH } from './email.ts';

/** A work e-mail address field: the address keyboard on phones, no auto-capitals, the server's length. */
export function EmailInput(props: InputProps) {
  return (
    <Input
      type="email"
      inputMode="email"
      autoComplete="off"
      autoCapitalize="none"
      maxLength={EMAIL_MAX_LENGTH}
      {...props}
    />
  );
}
