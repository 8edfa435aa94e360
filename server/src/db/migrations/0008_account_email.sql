-- Staff e-mail for the email notification channel. `email` is the staff member's work address (staff data,
-- not resident data: residents never get accounts); `notify_email` is the member's own choice to receive
-- notifications by e-mail, off by default and only possible while an address is set.
ALTER TABLE account ADD COLUMN email text;
ALTER TABLE account ADD COLUMN notify_email boolean NOT NULL DEFAULT false;
ALTER TABLE account ADD CONSTRAINT account_email_check CHECK (email IS NULL OR (email <> '' AND length(email) <= 254));
ALTER TABLE account ADD CONSTRAINT account_notify_email_check CHECK (NOT notify_email OR email IS NOT NULL);
