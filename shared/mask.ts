// Identifiers as they may appear in events, logs and on another person's screen.
// Never log or show a full ID number, phone or name of a third party.

/** Keep only the last character: 张三 → *三, 欧阳娜娜 → ***娜. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return "*";
  return `${"*".repeat(chars.length - 1)}${chars[chars.length - 1]}`;
}

/** 110101199003074514 → 1101**********4514 (first 4, last 4). */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return "*".repeat(chars.length);
  return `${chars.slice(0, 4).join("")}${"*".repeat(chars.length - 8)}${chars.slice(-4).join("")}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}${"*".repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** An account typed at login (phone, login name or ID number), masked by its look. */
export function maskAccount(account: string): string {
  if (/^1\d{10}$/.test(account)) return maskPhone(account);
  if (/^[0-9A-Za-z]{15,18}$/.test(account) && /\d{6}/.test(account)) return maskIdNumber(account);
  const chars = [...account];
  if (chars.length <= 2) return `${chars[0] ?? ""}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
