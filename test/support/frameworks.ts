/** The national frameworks inventory of the Eurofound samples (test/fixtures/eurofound/), imported into a test database. */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readEurofound, type EurofoundFormat } from '../../src/core/frameworks/eurofound.js';
import { importFrameworks } from '../../src/core/frameworks/import.js';
import type { PrismaClient } from '../../src/db/client.js';

export const EUROFOUND_FIXTURES = fileURLToPath(new URL('../fixtures/eurofound/', import.meta.url));

/** Imports both samples (25 legislation rows, 25 support instruments); throws if a row is left out. */
export async function importFrameworkSamples(db: PrismaClient): Promise<void> {
  const files: Array<[string, EurofoundFormat]> = [
    ['regulations-sample.csv', 'eurofound-legislation'],
    ['instruments-sample.csv', 'eurofound-instruments'],
  ];
  for (const [file, format] of files) {
    const report = await importFrameworks(db, format, readEurofound(createReadStream(`${EUROFOUND_FIXTURES}${file}`), format));
    if (report.created + report.unchanged !== 25 || report.skipped.length) throw new Error(`${file}: ${JSON.stringify(report)}`);
  }
}
