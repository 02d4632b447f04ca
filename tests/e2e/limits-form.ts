import type { ElementHandle, Page } from 'puppeteer';

/** Types into one options field, replacing what it held. */
async function typeInto(options: Page, testid: string, text: string): Promise<void> {
  const field = (await options.$(`[data-testid="${testid}"]`)) as ElementHandle<HTMLInputElement>;
  await field.click({ count: 3 });
  await field.evaluate((el) => el.select());
  await options.keyboard.press('Backspace');
  await field.type(text);
}

/**
 * On an open options page, sets both per-host limits the way a person does: the per-host number, the HTTP/2 "same"
 * switch off (it must be on, with its number field disabled, before) and its number, then saves. Returns what the page
 * showed of the HTTP/2 field before the change.
 */
export async function setPerHostLimits(options: Page, perHost: number, perHostH2: number) {
  const same = (await options.waitForSelector(
    '[data-testid="opt-perHostConcurrencyH2-same"]',
  )) as ElementHandle<HTMLInputElement>;
  const before = {
    same: await same.evaluate((el) => el.checked),
    disabled: await options.$eval(
      '[data-testid="opt-perHostConcurrencyH2"]',
      (el) => (el as HTMLInputElement).disabled,
    ),
  };
  await same.click();
  await options.waitForFunction(
    () => !(document.querySelector('[data-testid="opt-perHostConcurrencyH2"]') as HTMLInputElement).disabled,
  );
  await typeInto(options, 'opt-perHostConcurrency', String(perHost));
  await typeInto(options, 'opt-perHostConcurrencyH2', String(perHostH2));
  await options.click('[data-testid="save"]');
  await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
  return before;
}
