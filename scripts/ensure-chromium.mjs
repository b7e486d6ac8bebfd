// `npm test` runs this first: the end-to-end test drives the Agents Playground in Debian's
// Chromium (/usr/bin/chromium). On a machine without it, install it when we can (root with
// apt-get), else say how; browsers are never downloaded by npm packages here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`Chromium is missing (${CHROMIUM}); the end-to-end test needs it: sudo apt-get install -y chromium`);
  } else {
    console.error('Installing Debian chromium for the end-to-end test (apt-get install -y chromium)…');
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch {
      console.error('Could not install chromium; the end-to-end test will say so.');
    }
  }
}
