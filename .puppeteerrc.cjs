// Puppeteer must never download a browser: tests launch Debian's /usr/bin/chromium (or PUPPETEER_EXECUTABLE_PATH).
module.exports = { skipDownload: true };
