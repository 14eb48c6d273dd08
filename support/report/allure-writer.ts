// Allure's own file writer makes each result, container and attachment
// crash-safe as it comes: a temporary file, an fsync, a rename. A run has ~3300
// such files, and the reports then read the results back to rewrite them: on a
// busy disk that was most of the run's time. This writer keeps the results,
// containers and attachments in memory, in the text Allure's writer would have
// written; the reports rewrite the results there and flush everything once
// (support/report/write.ts), the interrupt handler too. Anything else Allure
// writes (globals, environment, categories, attachments from a path) goes to
// its own writer straight away.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Its subpath export has no types under this project's module resolution.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FileSystemWriter } = require('allure-js-commons/sdk/reporter') as { FileSystemWriter: new (config: { resultsDir: string }) => Record<string, (...args: unknown[]) => void> };

// Files of an Allure results directory, by name: on disk, or held by the writer.
export interface AllureFiles {
  names(): string[];
  read(name: string): string;
  write(name: string, text: string): void;
}

export function allureDir(dir: string): AllureFiles {
  return {
    names: () => readdirSync(dir),
    read: (name) => readFileSync(join(dir, name), 'utf8'),
    write: (name, text) => writeFileSync(join(dir, name), text),
  };
}

export class AllureMemoryWriter implements AllureFiles {
  private readonly files = new Map<string, string | Buffer>();
  private readonly direct: Record<string, (...args: unknown[]) => void>;

  constructor(readonly resultsDir: string) {
    this.direct = new FileSystemWriter({ resultsDir });
  }

  // Allure's Writer interface.
  writeAttachment(distFileName: string, content: Buffer): void {
    this.files.set(distFileName, content);
  }
  writeResult(result: { uuid: string }): void {
    this.files.set(`${result.uuid}-result.json`, JSON.stringify(result));
  }
  writeGroup(result: { uuid: string }): void {
    this.files.set(`${result.uuid}-container.json`, JSON.stringify(result));
  }
  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.direct.writeAttachmentFromPath(distFileName, from);
  }
  writeEnvironmentInfo(info: unknown): void {
    this.direct.writeEnvironmentInfo(info);
  }
  writeCategoriesDefinitions(categories: unknown): void {
    this.direct.writeCategoriesDefinitions(categories);
  }
  writeGlobals(distFileName: string, info: unknown): void {
    this.direct.writeGlobals(distFileName, info);
  }

  // AllureFiles: what is held (the rewrite reads and replaces results here).
  names(): string[] {
    return [...this.files.keys()];
  }
  read(name: string): string {
    return String(this.files.get(name) ?? '');
  }
  write(name: string, text: string): void {
    this.files.set(name, text);
  }

  // Writes what is held to the results directory, once, and forgets it.
  flush(): void {
    mkdirSync(this.resultsDir, { recursive: true });
    for (const [name, content] of this.files) writeFileSync(join(this.resultsDir, name), content);
    this.files.clear();
  }
}
