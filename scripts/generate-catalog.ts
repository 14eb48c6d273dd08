// npm run catalog: writes the clause catalog pages, docs/catalog/<area>.md,
// from support/clauses/ and features/ (support/clauses/pages.ts renders them).
// test/catalog-pages.test.ts fails when the committed pages are out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { CATALOG_DIR, renderCatalogPages } from '../support/clauses/pages';

mkdirSync(CATALOG_DIR, { recursive: true });
for (const [path, text] of Object.entries(renderCatalogPages())) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
