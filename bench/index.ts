// `npm run bench [name ...]`: prints speed and memory figures of the project's own code (the long
// ones, like `extraction-all`, only when named).
import { mkdirSync, writeFileSync } from 'node:fs'
import { gridPageQuery } from './grid-page-query'
import { importRead, importScale, importThroughput, importWrite } from './import-throughput'
import { labeling } from './labeling'
import { review } from './review'
import { stall } from './stall'
import { calls } from './calls'
import { poolScale } from './pool-scale'
import { training } from './training'
import { sppScl } from './spp-scl'
import { ulgm } from './ulgm'
import { teacherRef } from './teacher-ref'
import { scdrSppScl } from './scdr-spp-scl'
import { extraction, extractionAll } from './extraction'
import { extractionScale } from './extraction-scale'
import { extractionReuse } from './extraction-reuse'
import { encoders } from './encoders'
import { inference } from './inference'
import { pseudoLabellingBench } from './pseudo-labelling'
import { peakRssMb, type Bench, type Figure } from './harness'

const BENCHES: Bench[] = [gridPageQuery, labeling, review, stall, calls, importThroughput, importRead, importWrite, extraction, encoders, training, sppScl, ulgm, teacherRef, scdrSppScl, inference, pseudoLabellingBench, poolScale, extractionScale, extractionReuse, extractionAll, importScale]

const wanted = process.argv.slice(2)
const figures: Figure[] = []
for (const bench of BENCHES) {
  if (wanted.length > 0 ? !wanted.includes(bench.name) : bench.onlyWhenNamed) continue
  console.log(`running ${bench.name}…`)
  figures.push(...(await bench.run()))
}
figures.push({ bench: 'process', metric: 'peak RSS of the bench process', value: peakRssMb(), unit: 'MB' })

const width = Math.max(...figures.map((f) => f.metric.length))
console.log()
for (const f of figures) {
  const value = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2)
  console.log(`${f.bench.padEnd(8)} ${f.metric.padEnd(width)}  ${value.padStart(9)} ${f.unit.padEnd(8)} ${f.target ? `(target ${f.target})` : ''}`)
}
mkdirSync('bench/results', { recursive: true })
writeFileSync(`bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, JSON.stringify(figures, null, 2))
