// How bot walls say "a human is needed here". Kept as tables so a new wall is one line; each entry is specific to an
// interstitial, never something a normal page also carries (reCAPTCHA on a contact form, Cloudflare's bot-management
// script on every page of a site), since a marker keeps a link `blocked`.

/** Response headers (lower-case name → values) that mark the document as a challenge, not the content. */
export const CHALLENGE_HEADERS: Record<string, readonly string[]> = {
  'cf-mitigated': ['challenge'],
  'x-amzn-waf-action': ['challenge', 'captcha'],
};

/** Titles of known interstitials, compared lower-case after collapsing whitespace; a title that starts with one matches. */
export const CHALLENGE_TITLES: readonly string[] = [
  'just a moment...',
  'just a moment…',
  'attention required! | cloudflare',
  'please wait... | cloudflare',
  'checking your browser',
  'verifying you are human',
  'ddos-guard',
  'pardon our interruption',
  'human verification',
  'are you a robot?',
  'access to this page has been denied',
];

/** Elements only interstitials hold (Cloudflare, Turnstile, PerimeterX, DataDome, Akamai, AWS WAF). */
export const CHALLENGE_SELECTORS: readonly string[] = [
  '#challenge-form',
  '#challenge-running',
  '#challenge-stage',
  '#cf-challenge-running',
  '#px-captcha',
  'iframe[src*="captcha-delivery.com"]',
  '#sec-if-cpt-container',
  '#captcha-container[data-awswaf]',
  'script[src*="/challenge-platform/h/"][src*="orchestrate"]',
];

/** The header that marks a challenge, as `name: value`, or null. */
export function challengeHeader(headers: readonly { name: string; value?: string }[]): string | null {
  for (const { name, value } of headers) {
    const wanted = CHALLENGE_HEADERS[name.toLowerCase()];
    if (wanted && value !== undefined && wanted.includes(value.trim().toLowerCase()))
      return `${name.toLowerCase()}: ${value}`;
  }
  return null;
}

/** Whether a document title is a known interstitial's. */
export function challengeTitle(title: string): boolean {
  const t = title.replace(/\s+/g, ' ').trim().toLowerCase();
  return t !== '' && CHALLENGE_TITLES.some((known) => t.startsWith(known));
}
