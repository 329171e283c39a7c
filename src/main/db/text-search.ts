// A search of the posts' text as SQL: `p.text LIKE <pattern> ESCAPE '\'`, ASCII case ignored (as
// SQLite's LIKE does), the characters typed matched as themselves. The labeling queue and the grid
// search the same way.

/** The LIKE condition on a post's text; its pattern is the `likePattern` of the search. */
export const TEXT_LIKE = "p.text LIKE @pattern ESCAPE '\\'"

/** `%`, `_` and the escape character itself match literally; anything may come before and after. */
export const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
