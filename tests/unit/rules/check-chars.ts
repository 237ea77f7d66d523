// Check characters computed here, apart from shared/rules, so the tests do not grade the code with itself.

/** GB 11643 / ISO 7064 MOD 11-2: weights 2^(17-i) mod 11; the check c makes Σ + c ≡ 1 (mod 11). */
export function idCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? "X" : String(c);
}

export const withIdCheck = (first17: string) => first17 + idCheck(first17);

export const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** GB 32100: weights 3^i mod 31; the check c makes Σ + c ≡ 0 (mod 31). */
export function usccCheck(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARS.indexOf(first17[i] ?? "") * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? "?";
}

/** GB 11714: letters A=10 … Z=35, weights 3 7 9 10 5 8 4 2, check 11 - Σ mod 11 (10 → X, 11 → 0). */
export function orgCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charCodeAt(i);
    sum += (ch >= 65 ? ch - 55 : ch - 48) * (weights[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/** A full USCC from its first 16 characters: the organization code's check at 17, the code's check at 18. */
export function withUsccChecks(first16: string): string {
  const first17 = first16 + orgCheck(first16.slice(8, 16));
  return first17 + usccCheck(first17);
}
