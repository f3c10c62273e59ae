// Canned responses (seed 004): stored text an agent inserts by its shortcut.
// Two variables are filled in when it is sent:
//   %VISITOR%  — the customer's name
//   %OPERATOR% — the agent's name
// Variables are matched case-insensitively, in one pass: a name that itself
// contains "%OPERATOR%" is inserted as written, never expanded again. Any
// other %WORD% is left alone. A missing name becomes the empty string.

export interface CannedNames { visitor?: string | null; operator?: string | null }

const VARIABLE = /%(VISITOR|OPERATOR)%/gi;

export function expandCanned(text: string, names: CannedNames): string {
  // A replacer function, so "$&" or "$1" in a name is inserted literally.
  return text.replace(VARIABLE, (_all, which: string) =>
    (which.toUpperCase() === 'VISITOR' ? names.visitor : names.operator)?.trim() ?? '');
}

/** The variables a text uses, upper-cased, each once (for previews and checks). */
export function cannedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!.toUpperCase()))];
}
