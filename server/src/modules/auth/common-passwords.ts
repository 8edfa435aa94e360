/**
 * Passwords that are common enough to be refused whatever their classes. Compared case-insensitively.
 * Sources: widely published lists of the most used passwords, including those common in China.
 */
export const COMMON_PASSWORDS = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 111111 123123 1234567890 000000 abc123 a123456
  woaini1314 woaini520 qq123456 5201314 iloveyou admin admin123 admin@123 admin123456 administrator root root123
  p@ssw0rd p@ssword password1 password123 password@123 passw0rd pass@123 pass@word1 qwer1234 qwer@1234 qwe123
  qwe@123 qwe123!@# 1qaz2wsx 1qaz@wsx 1qaz!qaz zaq12wsx aa123456 a1234567 abc@123 abc12345 abcd1234 abcd@1234
  test@123 test1234 welcome welcome1 welcome@123 letmein sunshine princess dragon monkey football baseball
  master shadow superman michael 654321 666666 888888 88888888 987654321 123321 112233 147258369 159753
  asdf1234 asd123 asdfghjkl zxcvbnm zxcvbn123 huang123 wang123456 li123456 zhang123 liu123456 chen123456
  changeme changeme1 changeme123 gridgov gridgov123 gridgov@123 china123 beijing123 shanghai123 hello123
  hello@123 welcome2024 welcome2025 welcome2026 password2024 password2025 password2026 admin2024 admin2025 admin2026
  q1w2e3r4 q1w2e3r4t5 1q2w3e 1q2w3e4r5t aa112233 a12345678 a123123 a111111 woaini123 ilove520 520520 1314520`
    .split(/\s+/)
    .filter(Boolean),
);
