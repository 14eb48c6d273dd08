// The adapter's command line, turned into the argv it is started with. No
// shell ever sees it: there is no variable expansion, globbing, redirection or
// pipeline, so nothing in it can run a second command.
//
// Rules (a small, predictable subset of POSIX sh word splitting):
//   - words are separated by spaces, tabs or newlines;
//   - '...' keeps everything inside literally;
//   - "..." keeps everything inside literally, except that \" and \\ stand
//     for " and \;
//   - outside quotes, a backslash keeps the next character literally;
//   - quoted and unquoted parts next to each other join into one word
//     (--name="a b" is the single word --name=a b);
//   - the shell operators | & ; < > ( ) ` $ are refused when unquoted, because
//     they would not do what a shell does: quote them to pass them literally,
//     or put the pipeline in a script and name the script.
// A command line that starts with [ is read as a JSON array of strings: the
// argv exactly, for programs that generate it.

export class CommandLineError extends Error {
  override name = 'CommandLineError';
}

const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$']);

export function parseCommandLine(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return parseJsonArgv(trimmed);
  const words: string[] = [];
  let word = '';
  let inWord = false; // distinguishes an empty quoted word ('') from no word
  let i = 0;
  const fail = (what: string) => {
    throw new CommandLineError(`adapter command line: ${what} (at character ${i + 1} of ${JSON.stringify(text)})`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unterminated single quote');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= text.length) fail('unterminated double quote');
        const d = text[i];
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) fail('a backslash at the end escapes nothing');
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (SHELL_OPERATORS.has(c)) {
      fail(`"${c}" is a shell operator, and the command line is not run by a shell; quote it to pass it literally, or wrap the command in a script`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new CommandLineError('adapter command line is empty');
  return words;
}

function parseJsonArgv(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CommandLineError(`adapter command line starts with [ but is not a JSON array: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new CommandLineError('adapter command line as JSON must be a non-empty array of strings');
  }
  return value as string[];
}

// The inverse, for messages: an argv as a command line these rules read back.
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
