/** Saves text as a file. An anchor with `download` works in Chrome and Firefox alike, without the downloads permission. */
export function downloadText(fileName: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The one call of the `downloads` API a page needs (`browser.downloads.download`), passed in by the entrypoint. */
export type StartDownload = (options: { url: string; filename: string; saveAs: boolean }) => Promise<unknown>;

/**
 * Saves text as a file through the browser's download manager: what the popup uses. An anchor download started in the
 * popup dies with it when a "Save as" dialog takes the focus and the popup closes; the download manager reads the file
 * at once and keeps the download going whatever happens to the page. Resolves with an error message, or null.
 */
export async function downloadThroughManager(
  start: StartDownload,
  fileName: string,
  mime: string,
  text: string,
): Promise<string | null> {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  try {
    // No dialog: a dialog would close the popup that holds the file.
    await start({ url, filename: fileName, saveAs: false });
    return null;
  } catch (error) {
    return (error as Error)?.message || 'the browser refused the download';
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
