// The labeling view's keymap (one table for the handler, the overlay and the buttons) and the
// way a post's text is cut into readable pieces.
import { describe, expect, it } from 'vitest'
import { bindingFor, chordText, KEYMAP, keysOf, type KeyPress } from '#renderer/lib/keymap'
import { decodeEntities, linkify } from '#renderer/lib/linkify'

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})
const idFor = (p: KeyPress): string | undefined => bindingFor(p)?.id

describe('the labeling keymap', () => {
  it('maps every key the issue names to its action', () => {
    expect([idFor(press('1')), idFor(press('2')), idFor(press('3'))]).toEqual(['positive', 'neutral', 'negative'])
    expect([idFor(press('ArrowRight')), idFor(press('j')), idFor(press('J', { shiftKey: true }))]).toEqual(['next', 'next', undefined])
    expect([idFor(press('ArrowLeft')), idFor(press('k'))]).toEqual(['prev', 'prev'])
    expect(idFor(press('s'))).toBe('skip')
    expect([idFor(press('t')), idFor(press('i')), idFor(press('0'))]).toEqual(['text-mode', 'image-mode', 'clear'])
    expect(idFor(press('?', { shiftKey: true }))).toBe('help')
  })

  it('tells undo from redo by Shift, takes ⌘ for Ctrl, and leaves Alt chords to the system', () => {
    expect(idFor(press('z', { ctrlKey: true }))).toBe('undo')
    expect(idFor(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(idFor(press('z', { metaKey: true }))).toBe('undo')
    expect(idFor(press('y', { ctrlKey: true }))).toBe('redo')
    expect(idFor(press('z'))).toBeUndefined()
    expect(idFor(press('1', { altKey: true }))).toBeUndefined()
    expect(idFor(press('1', { ctrlKey: true }))).toBeUndefined()
  })

  it('gives no chord to two bindings, and prints each the way the overlay shows it', () => {
    const chords = KEYMAP.flatMap((b) => b.chords.map(chordText))
    expect(new Set(chords).size).toBe(chords.length)
    expect(keysOf('next')).toBe('→ / J')
    expect(keysOf('redo')).toBe('Ctrl+Shift+Z / Ctrl+Y')
    expect(keysOf('cancel')).toBe('Esc')
  })
})

describe('post text', () => {
  it('finds links, mentions and hashtags, leaving punctuation outside links', () => {
    expect(linkify('RT @ann_1: sunny #beach day, see https://t.co/abc1.')).toEqual([
      { kind: 'text', text: 'RT ' },
      { kind: 'mention', text: '@ann_1' },
      { kind: 'text', text: ': sunny ' },
      { kind: 'hashtag', text: '#beach', tag: 'beach' },
      { kind: 'text', text: ' day, see ' },
      { kind: 'url', text: 'https://t.co/abc1', href: 'https://t.co/abc1' },
      { kind: 'text', text: '.' },
    ])
  })

  it('reads hashtags in any script, not e-mail addresses or entity numbers', () => {
    expect(linkify('#中文 mail me@example.org').map((p) => p.kind)).toEqual(['hashtag', 'text'])
    expect(linkify('&#39;quoted&#39;')).toEqual([{ kind: 'text', text: "'quoted'" }])
  })

  it('decodes the HTML entities tweets carry into plain characters (escaped later by the template)', () => {
    expect(decodeEntities('Tom &amp; Jerry &lt;3 &quot;hi&quot;')).toBe('Tom & Jerry <3 "hi"')
    expect(linkify('<script>alert(1)</script>')).toEqual([{ kind: 'text', text: '<script>alert(1)</script>' }])
    expect(linkify('javascript:alert(1) ftp://x')).toEqual([{ kind: 'text', text: 'javascript:alert(1) ftp://x' }])
  })
})
