// The lines of a decoded file, one at a time with their numbers, across the decoder's pieces: no
// join of the pieces and no split of the whole text, and the shell's event loop given turns. MVSA's
// label file of 100,000 lines held the loop 36–41 ms through one decode and one split.

/**
 * `take(line, lineNumber)` for every line that `parts` spell when joined (1-based numbers; a
 * trailing '\r' dropped; the text after the last '\n' is a line too, empty or not). `turn` is
 * awaited before each line.
 */
export async function eachLineInTurns(parts: readonly string[], take: (line: string, lineNumber: number) => void, turn: () => Promise<void>): Promise<void> {
  let lineNumber = 0
  const give = (text: string): void => take(text.endsWith('\r') ? text.slice(0, -1) : text, ++lineNumber)
  let begun = ''
  for (const part of parts) {
    for (let at = 0; ; ) {
      await turn()
      const newline = part.indexOf('\n', at)
      if (newline === -1) {
        begun += part.slice(at)
        break
      }
      give(begun + part.slice(at, newline))
      begun = ''
      at = newline + 1
    }
  }
  give(begun)
}
