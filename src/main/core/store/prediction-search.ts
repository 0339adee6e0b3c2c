/**
 * The history's search over the predictions' input values (migration 5's trigram index).
 *
 * What a person types is split into terms at spaces; a "quoted phrase" is one term. A prediction matches
 * when every term is a substring of some input value (any field, any depth; keys and data: URIs are not
 * indexed), ignoring the case of ASCII letters as SQLite's LIKE does: `fox` finds "a red Fox" and
 * "foxglove"; `red fox` finds "the fox was red"; `"red fox"` only that phrase. Terms with 3 characters in a
 * row go through the index; shorter ones are checked against each candidate's text (alone, they scan newest
 * first until the page is full). Separately, text that is exactly a prediction id finds that prediction.
 */

/** One condition on the index's text column `f.input`, with its argument. */
export interface SearchClause {
  sql: string;
  arg: string;
}

/** The terms of a search: words, and "quoted phrases" as one term. */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const m of text.matchAll(/"([^"]+)"|(\S+)/g)) {
    const term = (m[1] ?? m[2]).trim();
    if (term) terms.push(term);
  }
  return terms;
}

/**
 * The conditions for a search (none: nothing to search for). FTS5 answers `LIKE '%term%'` on a trigram
 * table from its index (when the term has 3 characters in a row that are not % or _), newest first. A term
 * with % or _ in it also gets an exact check with those characters escaped.
 */
export function searchClauses(text: string): SearchClause[] {
  const clauses: SearchClause[] = [];
  for (const term of searchTerms(text)) {
    clauses.push({ sql: 'f.input LIKE ?', arg: `%${term}%` });
    if (/[%_]/.test(term)) clauses.push({ sql: "f.input LIKE ? ESCAPE '\\'", arg: `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%` });
  }
  return clauses;
}
