// The committed catalog pages (docs/catalog/<area>.md) are what the catalog
// and the features give today, and every clause links where it can be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { CLAUSES } from '../support/clauses';
import { anchorOf, AREA_CLAUSES, catalogUrl, ELIXIR, renderCatalogPages, sourceLinks } from '../support/clauses/pages';

const pages = renderCatalogPages();

test('the committed catalog pages are up to date (else: npm run catalog, and commit)', () => {
  for (const [path, text] of Object.entries(pages)) {
    assert.ok(existsSync(path), `${path} is missing: run npm run catalog`);
    assert.ok(readFileSync(path, 'utf8') === text, `${path} is out of date: run npm run catalog`);
  }
});

test('every clause has one entry, on its area\'s page, with its scenarios or none', () => {
  for (const [area, clauses] of Object.entries(AREA_CLAUSES)) {
    const page = pages[`docs/catalog/${area}.md`];
    for (const id of Object.keys(clauses)) {
      assert.equal(page.split('\n').filter((l) => l === `## ${id}`).length, 1, `${id} on ${area}.md`);
      assert.match(catalogUrl(id, { TCK_CATALOG_URL: 'https://example.org/docs/catalog/' }) ?? '', new RegExp(`^https://example\\.org/docs/catalog/${area}\\.md#${anchorOf(id)}$`));
    }
  }
  assert.equal(Object.values(AREA_CLAUSES).reduce((n, c) => n + Object.keys(c).length, 0), Object.keys(CLAUSES).length);
});

test('a source that names a kernel file links to that file at elixir.bootlin.com', () => {
  assert.deepEqual(sourceLinks('drivers/vfio/mdev/mdev_sysfs.c: create_store(), lib/uuid.c: guid_parse()').map((l) => l.url), [
    `${ELIXIR}/v6.12/source/drivers/vfio/mdev/mdev_sysfs.c`, `${ELIXIR}/v6.12/source/lib/uuid.c`]);
  assert.deepEqual(sourceLinks('drivers/vfio/mdev/mdev_core.c (Linux 5.1): mdev_device_remove_ops()').map((l) => l.url), [`${ELIXIR}/v5.1/source/drivers/vfio/mdev/mdev_core.c`]);
  for (const c of Object.values(CLAUSES)) {
    if (/^(drivers|include|samples)\//.test(c.source)) assert.ok(sourceLinks(c.source)[0]?.url.startsWith(`${ELIXIR}/v`), `${c.id}: ${c.source}`);
  }
});
