// The import writing right now, in any project of the store (lib/imports-writing.ts): the save
// statuses name it while a label or decision waits for its end.
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { api } from '../api/client'
import { importsWriting, type WritingImport } from '../lib/imports-writing'

export const useImportsWritingStore = defineStore('importsWriting', () => {
  const writing = importsWriting()
  const current = shallowRef<WritingImport | null>(null)
  api.on('imports.progress', (event) => {
    writing.progress(event)
    current.value = writing.current()
  })
  api.on('imports.finished', (event) => {
    writing.finished(event)
    current.value = writing.current()
  })
  return { current }
})
