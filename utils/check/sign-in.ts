/** Where sites send a visitor who must sign in first: the path of a sign-in page, not of the page behind it. */
const SIGN_IN =
  /(^|[/_.-])(log[-_]?in|sign[-_]?in|signon|auth|authenticate|sso|session|cas|oauth2?|wp-login)([/_.-]|$)/i;

/** Whether an address is a sign-in page's (by its path): the soft-404 detector and the second opinion both ask. */
export function isSignInPage(url: URL): boolean {
  return SIGN_IN.test(url.pathname);
}
