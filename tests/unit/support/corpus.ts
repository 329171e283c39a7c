import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { jpeg, truncatedJpeg } from './images'

const GB18030_QUOTED = Buffer.from([0xa1, 0xb0, 0xd6, 0xd0, 0xce, 0xc4, 0xa1, 0xb1]) // “中文”

/**
 * An MVSA-layout folder with one of every problem an annotator's data brings: a corrupt and a
 * truncated JPEG, an empty text, a missing text, a missing image, a label row repeated, an unknown
 * label, and a label file cut off mid-line. Posts 1–4 and 10 are good.
 */
export async function badMvsaCorpus(root: string): Promise<void> {
  const data = path.join(root, 'data')
  mkdirSync(data, { recursive: true })
  const write = (name: string, content: string | Buffer): void => writeFileSync(path.join(data, name), content)
  for (const id of [1, 2, 3, 4, 10]) write(`${id}.jpg`, await jpeg(id))
  write('1.txt', 'a good day #sunshine')
  write('2.txt', Buffer.concat([GB18030_QUOTED, Buffer.from(' gb text')]))
  write('3.txt', 'conflicting post')
  write('4.txt', 'duplicated label row')
  write('10.txt', 'labelled but not in splits.csv')
  write('5.jpg', Buffer.from('this is not a jpeg at all'))
  write('5.txt', 'garbage image')
  write('6.jpg', await truncatedJpeg(6))
  write('6.txt', 'truncated image')
  write('7.jpg', await jpeg(7))
  write('7.txt', '   \n ')
  write('8.jpg', await jpeg(8)) // no 8.txt
  write('9.txt', 'no image for this one')
  write('11.jpg', await jpeg(11))
  write('11.txt', 'unknown label')
  write('12.jpg', await jpeg(12))
  write('12.txt', 'the label file is cut off here')
  writeFileSync(
    path.join(root, 'labelResultAll.txt'),
    [
      'ID\ttext,image',
      '1\tpositive,neutral', // line 2
      '2\tnegative,negative',
      '3\tpositive,negative', // conflict
      '4\tneutral,neutral',
      '4\tpositive,positive', // line 6: duplicate
      '5\tneutral,positive',
      '6\tneutral,positive',
      '7\tneutral,positive',
      '8\tneutral,positive',
      '9\tneutral,positive',
      '10\tneutral,negative',
      '11\tpositive,happy', // line 13: unknown label
      '12\tneutral,', // line 14: truncated
    ].join('\n'),
  )
  writeFileSync(path.join(root, 'splits.csv'), 'id,split\n1,train\n2,test\n3,conflict\n4,val\n5,train\n')
}

/** A CSV in GB18030 (not UTF-8) with a duplicate id, an unknown label and a malformed row. */
export async function badCsvCorpus(root: string): Promise<string> {
  mkdirSync(path.join(root, 'img'), { recursive: true })
  for (const id of ['a', 'b', 'c', 'd']) writeFileSync(path.join(root, 'img', `${id}.jpg`), await jpeg(id.charCodeAt(0)))
  const rows = [
    'id,text,image,label,split',
    'a,plain ascii,img/a.jpg,positive,train', // line 2
    'b,QUOTED,img/b.jpg,negative,test',
    'a,again,img/a.jpg,neutral,train', // line 4: duplicate id
    'c,odd label,img/c.jpg,ecstatic,train', // line 5: unknown label
    'd,"unclosed quote,img/d.jpg,neutral,val', // line 6: malformed
  ].join('\n')
  const [before, after] = rows.split('QUOTED')
  const file = path.join(root, 'posts.csv')
  writeFileSync(file, Buffer.concat([Buffer.from(before!), GB18030_QUOTED, Buffer.from(after!)]))
  return file
}
