// The steps a sequence has taken, in the suite's own Gherkin phrases, and the
// rendering of a shrunk sequence as a scenario ready to paste into a feature
// file. A command records its When step and then each Then it checks; a
// failed check names the clause it broke.
import type fc from 'fast-check';
import { ConformanceAssertionError } from '../world/assert';
import { PreconditionAssertionError } from '../contract/client';
import { clauseStatement } from '../clauses';

export type Keyword = 'Given' | 'When' | 'Then';
export interface JournalStep { keyword: Keyword; text: string; table?: string[][] }

// A check of the model failed: the implementation broke this clause.
export class Violation extends Error {
  override name = 'Violation';
  constructor(readonly clause: string, readonly step: string, readonly detail: string) {
    super(`${clause} (${clauseStatement(clause)}): "${step}" failed: ${detail}`);
  }
}

export class Journal {
  readonly steps: JournalStep[] = [];
  readonly tags = new Set<string>();
  commands = 0;

  add(keyword: Keyword, text: string, table?: string[][]): void {
    this.steps.push(table ? { keyword, text, table } : { keyword, text });
  }

  // An action: its failures are the implementation's (a set-up call refused)
  // and are reported against the clause the action serves.
  async act(clause: string, keyword: Keyword, text: string, action: () => Promise<unknown>, table?: string[][]): Promise<void> {
    this.add(keyword, text, table);
    await this.guard(clause, text, action);
  }

  async expect(clause: string, text: string, check: () => unknown, table?: string[][]): Promise<void> {
    this.add('Then', text, table);
    await this.guard(clause, text, check);
  }

  private async guard(clause: string, text: string, body: () => unknown): Promise<void> {
    try {
      await body();
    } catch (error) {
      if (error instanceof ConformanceAssertionError || error instanceof PreconditionAssertionError) {
        throw new Violation(clause, text, error.message);
      }
      throw error;
    }
  }
}

// One scenario, indented as in the suite's feature files, consecutive steps
// of one keyword joined with And.
export function renderScenario(title: string, tags: string[], steps: readonly JournalStep[]): string {
  const lines = [`  ${tags.join(' ')}`, `  Scenario: ${title}`];
  let previous: Keyword | undefined;
  for (const step of steps) {
    const word = step.keyword === previous ? 'And' : step.keyword;
    previous = step.keyword;
    lines.push(`    ${word} ${step.text}`);
    const widths = (step.table ?? [])[0]?.map((_, i) => Math.max(...(step.table as string[][]).map((row) => row[i].length))) ?? [];
    for (const row of step.table ?? []) lines.push(`      | ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

// Counts the commands a sequence really ran (fast-check skips those whose check fails).
export class Counted<M extends object, R extends { journal: Journal }> implements fc.AsyncCommand<M, R> {
  constructor(private readonly inner: fc.AsyncCommand<M, R>) {}
  check(m: Readonly<M>): boolean {
    return this.inner.check(m);
  }
  async run(m: M, r: R): Promise<void> {
    r.journal.commands += 1;
    await this.inner.run(m, r);
  }
  toString(): string {
    return this.inner.toString();
  }
}
