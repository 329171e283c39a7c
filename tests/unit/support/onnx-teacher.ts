// The tiny ONNX text teacher (tiny-teacher.ts) in a temp folder removed after the test.
import { writeTeacherFolder } from './tiny-teacher'
import { tempDir } from './temp'

export { expectedProbabilities, TINY_TEACHER_LABELS, tinyTeacherModel, WORD_WEIGHT } from './tiny-teacher'

/** A complete teacher folder; `change` edits it before it is returned. */
export function teacherFolder(change: (dir: string) => void = () => {}): string {
  return writeTeacherFolder(tempDir('cg-teacher-'), change)
}
