import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/base/paths.js';

/** Debian's Chromium, which the page tests and benchmarks drive (CHROMIUM_PATH elsewhere); no browser download. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM);
/** Where the page tests leave their screenshots. */
export const WEB_ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts', 'web');

/** Chromium headless, as the tests and benchmarks run it in a container. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
