// Prisma 7 reads the datasource URL from here, not from schema.prisma (generate does not need it,
// `prisma migrate deploy` / `migrate status` do).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/passerelle.db' },
});
