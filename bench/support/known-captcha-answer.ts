/** What every captcha reads in a hub started with the bench's known-captcha preload. */
export const KNOWN_CAPTCHA = "AAAA";
